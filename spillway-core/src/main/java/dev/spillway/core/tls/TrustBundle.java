package dev.spillway.core.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The certificates of a PEM CA bundle as JDK trust: an {@link SSLContext} for java.net.http
 * clients and a PKCS12 trust store for {@code -Djavax.net.ssl.trustStore}. Stateless.
 */
public final class TrustBundle {
    private TrustBundle() {
    }

    /** A TLS context that trusts exactly the certificates in {@code pemBundle}. */
    public static SSLContext sslContext(Path pemBundle) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager(pemBundle)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("'" + pemBundle + "' is not a usable CA bundle: " + e.getMessage(), e);
        }
    }

    /** The trust manager of {@link #sslContext}, for clients that take one (OkHttp). */
    public static X509TrustManager trustManager(Path pemBundle) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore(pemBundle, null));
            for (TrustManager tm : tmf.getTrustManagers()) if (tm instanceof X509TrustManager x509) return x509;
            throw new GeneralSecurityException("the JDK offers no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("'" + pemBundle + "' is not a usable CA bundle: " + e.getMessage(), e);
        }
    }

    /** A PKCS12 key store holding the certificates of {@code pemBundle} as trusted entries. */
    public static KeyStore trustStore(Path pemBundle, char[] password) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pemBundle)) {
            store.load(null, password);
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) throw new GeneralSecurityException("no PEM certificate in it");
            int i = 0;
            for (Certificate cert : certs) store.setCertificateEntry("ca-" + i++, cert);
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CA bundle '" + pemBundle + "'", e);
        }
    }
}
