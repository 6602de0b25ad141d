package dev.spillway.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.config.ConfigException;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.tls.LocalCa;
import dev.spillway.core.tls.TlsListener;
import dev.spillway.core.tls.TrustBundle;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.testkit.FakeBackend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway listening on TLS, and calling an https backend that is trusted only through its ca-file. */
class GatewayTlsTest {
    static final String KEY = "client-key-0123456789abcdef0123456789";
    static final String CHAT = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @TempDir
    Path dir;
    Vertx vertx;
    LocalCa gatewayCa;
    LocalCa backendCa;
    FakeBackend backend;
    GatewayServer gateway;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        gatewayCa = LocalCa.ensure(dir.resolve("gateway-tls"), Clock.systemUTC());
        backendCa = LocalCa.ensure(dir.resolve("backend-tls"), Clock.systemUTC());
        backend = new FakeBackend(vertx, "tls-backend").start(TlsListener.secure(new HttpServerOptions(), backendCa.tls()));
        gateway = GatewayServer.start(vertx, config("""
                  port: 0
                  data-dir: "%s"
                  tls: { cert-file: "%s", key-file: "%s", reload-interval: 1s }
                  keys: [ { name: test-app, key: "%s" } ]
                  backends:
                    - { name: trusted, url: "%s", deployment: d, ca-file: "%s", connect-timeout: 1s }
                    - { name: default-trust, url: "%s", deployment: d, connect-timeout: 1s }
                  deployments:
                    - { name: trusted, backends: [trusted] }
                    - { name: default-trust, backends: [default-trust] }
                """.formatted(dir, gatewayCa.certFile(), gatewayCa.keyFile(), KEY, backend.url(),
                backendCa.caFile(), backend.url())), 1, Clock.systemUTC())
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void clientTrustingTheGatewayCaChatsOverHttpsToABackendTrustedThroughItsCaFile() throws Exception {
        assertThat(gateway.baseUrl()).startsWith("https://");
        HttpResponse<String> r = post(trusting(gatewayCa), "trusted");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(backend.last().uri()).startsWith("/openai/deployments/d/chat/completions");
    }

    @Test
    void backendWithoutItsCaFileIsNotTrustedAndNeverSeesTheRequest() throws Exception {
        HttpResponse<String> r = post(trusting(gatewayCa), "default-trust");
        assertThat(r.statusCode()).isBetween(500, 599);
        assertThat(backend.received).isEmpty();
    }

    @Test
    void clientThatDoesNotTrustTheGatewayCaIsRefusedTheHandshake() {
        assertThatThrownBy(() -> post(trusting(backendCa), "trusted")).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void renewedCertificateIsServedWithoutARestart() throws Exception {
        java.math.BigInteger before = servedSerial();
        java.nio.file.Files.delete(gatewayCa.certFile());
        LocalCa.ensure(dir.resolve("gateway-tls"), Clock.systemUTC());
        java.math.BigInteger now = before;
        for (int i = 0; i < 100 && now.equals(before); i++) {
            Thread.sleep(100); // the files are checked every reload-interval (1 s here)
            now = servedSerial();
        }
        assertThat(now).isNotEqualTo(before);
        assertThat(post(trusting(gatewayCa), "trusted").statusCode()).isEqualTo(200);
    }

    private java.math.BigInteger servedSerial() throws Exception {
        HttpRequest health = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/healthz")).build();
        HttpResponse<String> r = trusting(gatewayCa).send(health, HttpResponse.BodyHandlers.ofString());
        return ((java.security.cert.X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber();
    }

    @Test
    void plainHttpToTheTlsPortGetsNoAnswer() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest plain = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/healthz"))
                .timeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> http.send(plain, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void missingCertificateFileAndCaFileOnAnHttpBackendAreConfigProblemsWithTheirPaths() {
        assertThatThrownBy(() -> config("""
                  tls: { cert-file: "%s/nope.pem", key-file: "%s" }
                  backends: [ { name: b, url: "http://127.0.0.1:1", deployment: d, ca-file: "%s" } ]
                  deployments: [ { name: d, backends: [b] } ]
                """.formatted(dir, gatewayCa.keyFile(), gatewayCa.caFile())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tls.cert-file: no readable file at")
                .hasMessageContaining("backends[0].ca-file: applies to https backends only");
    }

    private static GatewayConfig config(String yaml) {
        ConfigNode root = ConfigLoader.parse(yaml, Map.of());
        GatewayConfig config = GatewayConfig.from(root);
        root.throwIfInvalid();
        return config;
    }

    private static HttpClient trusting(LocalCa ca) {
        return HttpClient.newBuilder().sslContext(TrustBundle.sslContext(ca.caFile()))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private HttpResponse<String> post(HttpClient client, String deployment) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/openai/deployments/"
                        + deployment + "/chat/completions?api-version=2024-10-21"))
                .timeout(Duration.ofSeconds(10)).header("api-key", KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
