package dev.spillway.core.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * The local certificate authority {@code spillway up} keeps in its data directory, and the server
 * certificate it issues for {@code localhost}, {@code 127.0.0.1} and {@code ::1}. Created on first
 * use; the CA (10 years) is kept across runs so clients trust it once, and the server certificate
 * (1 year) is issued again when it is missing, expires within 30 days or was signed by another CA.
 * Files: {@code ca.pem} (to trust), {@code ca-key.pem}, {@code server.pem} (leaf + CA),
 * {@code server-key.pem} and {@code truststore.p12} (the CA for Java, password {@value #TRUST_STORE_PASSWORD}).
 * Keys are EC P-256, written readable by the owner only. Immutable value of the files' paths.
 */
public record LocalCa(Path caFile, Path certFile, Path keyFile, Path trustStore) {
    public static final String TRUST_STORE_PASSWORD = "changeit";
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);

    /** The CA and server certificate in {@code dir}, created or renewed as needed. */
    public static LocalCa ensure(Path dir, Clock clock) throws IOException {
        Files.createDirectories(dir);
        LocalCa files = new LocalCa(dir.resolve("ca.pem"), dir.resolve("server.pem"), dir.resolve("server-key.pem"),
                dir.resolve("truststore.p12"));
        Path caKey = dir.resolve("ca-key.pem");
        try {
            boolean newCa = !Files.exists(files.caFile) || !Files.exists(caKey);
            if (newCa) writePair(CertificateIssuer.createCa(clock), files.caFile, caKey);
            X509Certificate ca = readCertificate(files.caFile);
            if (newCa || needsServerCertificate(files, ca, clock)) {
                CertificateIssuer.Issued server = CertificateIssuer.issueServer(ca, readKey(caKey), clock);
                writePair(server, files.certFile, files.keyFile, ca);
            }
            if (newCa || !Files.exists(files.trustStore)) writeTrustStore(files);
            return files;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot create the local CA in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The listener config serving the server certificate. */
    public TlsConfig tls() {
        return new TlsConfig(certFile, keyFile);
    }

    private static boolean needsServerCertificate(LocalCa files, X509Certificate ca, Clock clock) {
        if (!Files.exists(files.certFile) || !Files.exists(files.keyFile)) return true;
        try {
            X509Certificate server = readCertificate(files.certFile);
            server.verify(ca.getPublicKey());
            return server.getNotAfter().toInstant().isBefore(clock.instant().plus(RENEW_BEFORE));
        } catch (GeneralSecurityException | IOException e) {
            return true;
        }
    }




    /** Writes the certificate (followed by {@code chain}) and its key, the key readable by the owner only. */
    private static void writePair(CertificateIssuer.Issued issued, Path certFile, Path keyFile, X509Certificate... chain)
            throws IOException, GeneralSecurityException {
        StringBuilder pem = new StringBuilder(pem("CERTIFICATE", issued.cert().getEncoded()));
        for (X509Certificate c : chain) pem.append(pem("CERTIFICATE", c.getEncoded()));
        Path tmpKey = keyFile.resolveSibling(keyFile.getFileName() + ".tmp");
        Files.deleteIfExists(tmpKey);
        Files.createFile(tmpKey);
        ownerOnly(tmpKey);
        Files.writeString(tmpKey, pem("PRIVATE KEY", issued.key().getEncoded()));
        Files.writeString(certFile, pem);
        Files.move(tmpKey, keyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeTrustStore(LocalCa files) throws IOException, GeneralSecurityException {
        char[] password = TRUST_STORE_PASSWORD.toCharArray();
        try (OutputStream out = Files.newOutputStream(files.trustStore)) {
            TrustBundle.trustStore(files.caFile, password).store(out, password);
        }
    }

    private static void ownerOnly(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(file)));
    }

    private static PrivateKey readKey(Path file) throws IOException, GeneralSecurityException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(text)));
    }
}
