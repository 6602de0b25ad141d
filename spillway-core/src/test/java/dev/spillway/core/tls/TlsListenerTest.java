package dev.spillway.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsListenerTest {
    @TempDir
    Path dir;
    Vertx vertx;
    LocalCa ca;
    TlsListener listener;
    HttpServer server;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        ca = LocalCa.ensure(dir, Clock.systemUTC());
        listener = TlsListener.watch(vertx, ca.tls());
        HttpServerOptions options = TlsListener.secure(new HttpServerOptions().setHost("127.0.0.1").setPort(0), ca.tls());
        server = await(vertx.createHttpServer(options).requestHandler(r -> r.response().end("ok")).listen());
        listener.add(server);
    }

    @AfterEach
    void stop() throws Exception {
        listener.close();
        await(vertx.close());
    }

    @Test
    void clientTrustingTheLocalCaGetsAnAnswerOverHttps() throws Exception {
        HttpResponse<String> r = get();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok");
        assertThat(r.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).isIn(TlsConfig.PROTOCOLS));
    }

    @Test
    void clientWithOnlyTheJdkDefaultTrustIsRefused() {
        HttpClient plain = HttpClient.newHttpClient();
        assertThatThrownBy(() -> plain.send(request(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void changedCertificateIsServedWithoutRestart() throws Exception {
        BigInteger before = servedSerial();
        Files.delete(ca.certFile());
        LocalCa.ensure(dir, Clock.systemUTC());

        assertThat(await(listener.check())).isTrue();
        assertThat(servedSerial()).isNotEqualTo(before);
        assertThat(await(listener.check())).as("unchanged files are not loaded again").isFalse();
    }

    @Test
    void brokenCertificateKeepsThePreviousOneServing() throws Exception {
        BigInteger before = servedSerial();
        Files.writeString(ca.certFile(), "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");

        assertThat(await(listener.check())).isFalse();
        assertThat(servedSerial()).isEqualTo(before);
    }

    @Test
    void serverCertificateNamesLocalhostAndBothLoopbackAddresses() throws Exception {
        X509Certificate served = (X509Certificate) get().sslSession().orElseThrow().getPeerCertificates()[0];
        assertThat(served.getSubjectAlternativeNames()).extracting(name -> (Object) String.valueOf(name.get(1)))
                .containsExactlyInAnyOrder((Object) "localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
    }

    @Test
    void secondStartKeepsTheCaAndTheServerCertificate() throws Exception {
        String caPem = Files.readString(ca.caFile());
        String serverPem = Files.readString(ca.certFile());
        LocalCa again = LocalCa.ensure(dir, Clock.systemUTC());
        assertThat(Files.readString(again.caFile())).isEqualTo(caPem);
        assertThat(Files.readString(again.certFile())).isEqualTo(serverPem);
    }

    @Test
    void serverCertificateNearItsEndIsIssuedAgainByTheSameCa() throws Exception {
        String caPem = Files.readString(ca.caFile());
        String serverPem = Files.readString(ca.certFile());
        Clock inElevenMonths = Clock.offset(Clock.systemUTC(), java.time.Duration.ofDays(340));
        LocalCa renewed = LocalCa.ensure(dir, inElevenMonths);
        assertThat(Files.readString(renewed.caFile())).isEqualTo(caPem);
        assertThat(Files.readString(renewed.certFile())).isNotEqualTo(serverPem);
    }

    @Test
    void privateKeysAreReadableByTheOwnerOnly() throws Exception {
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(ca.keyFile())))
                .isEqualTo("rw-------");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("ca-key.pem")))).isEqualTo("rw-------");
    }

    @Test
    void trustStoreHoldsTheCaForJavaClients() throws Exception {
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(ca.trustStore())) {
            store.load(in, LocalCa.TRUST_STORE_PASSWORD.toCharArray());
        }
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.isCertificateEntry(store.aliases().nextElement())).isTrue();
    }

    private BigInteger servedSerial() throws Exception {
        return ((X509Certificate) get().sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber();
    }

    /** A new client per call, so each call makes a new TLS handshake. */
    private HttpResponse<String> get() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(TrustBundle.sslContext(ca.caFile())).build();
        return client.send(request(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request() {
        return HttpRequest.newBuilder(URI.create("https://localhost:" + server.actualPort() + "/")).build();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
