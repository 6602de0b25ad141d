package dev.spillway.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.chat.flow.ChatMessage;
import dev.spillway.chat.flow.ChatModel;
import dev.spillway.chat.flow.GatewayChatModel;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.Secret;
import dev.spillway.core.tls.LocalCa;
import dev.spillway.core.tls.TlsListener;
import dev.spillway.core.tls.TrustBundle;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chat app's listener on TLS, and its model client reaching an https gateway through the gateway's CA. */
class ChatTlsTest {
    @TempDir
    Path dir;

    @Test
    void chatAppServesItsPagesOverHttps() throws Exception {
        LocalCa ca = LocalCa.ensure(dir.resolve("tls"), Clock.systemUTC());
        String tls = "tls: { cert-file: \"%s\", key-file: \"%s\" }".formatted(ca.certFile(), ca.keyFile());
        try (TestChatApp app = new TestChatApp(dir, new FakeChatModel(), tls)) {
            HttpClient client = HttpClient.newBuilder().sslContext(TrustBundle.sslContext(ca.caFile())).build();
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + app.server.port() + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<html");
        }
    }

    @Test
    void modelClientTrustsAnHttpsGatewayThroughTheGatewayCaFileOnly() throws Exception {
        LocalCa ca = LocalCa.ensure(dir.resolve("gateway-tls"), Clock.systemUTC());
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer gateway = vertx.createHttpServer(TlsListener.secure(new HttpServerOptions(), ca.tls()))
                    .requestHandler(r -> r.response().putHeader("content-type", "text/event-stream")
                            .end(String.join("", FakeSseServer.answer("Hello").stream()
                                    .map(f -> "data: " + f + "\n\n").toList())))
                    .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
            URI url = URI.create("https://127.0.0.1:" + gateway.actualPort());
            ChatModel.Request ask = new ChatModel.Request(List.of(ChatMessage.user("Hi")), 0.2, 10);

            GatewayChatModel trusting = new GatewayChatModel(url, "gpt-4o", "2024-10-21", Secret.literal("k"),
                    Duration.ofSeconds(5), Optional.of(ca.caFile()));
            assertThat(trusting.complete(ask, d -> { }).text()).isEqualTo("Hello");

            GatewayChatModel jdkTrust = new GatewayChatModel(url, "gpt-4o", "2024-10-21", Secret.literal("k"),
                    Duration.ofSeconds(5));
            assertThatThrownBy(() -> jdkTrust.complete(ask, d -> { })).isInstanceOf(ChatModel.ModelException.class)
                    .hasMessageContaining("could not be reached");
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void gatewayCaFileWithAnHttpGatewayUrlIsAProblem() throws Exception {
        LocalCa ca = LocalCa.ensure(dir.resolve("tls"), Clock.systemUTC());
        ConfigNode node = ConfigLoader.parse("""
                gateway-key: k
                gateway-url: http://127.0.0.1:8080
                gateway-ca-file: "%s"
                tls: { cert-file: "%s/missing.pem", key-file: "%s" }
                """.formatted(ca.caFile(), dir, ca.keyFile()), Map.of());
        ChatConfig.from(node);
        assertThat(node.problems()).anySatisfy(p -> assertThat(p).startsWith("gateway-ca-file: applies to an https"))
                .anySatisfy(p -> assertThat(p).startsWith("tls.cert-file: no readable file at"));
    }
}
