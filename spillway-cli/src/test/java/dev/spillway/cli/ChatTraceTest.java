package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.spillway.chat.ChatConfig;
import dev.spillway.chat.ChatServer;
import dev.spillway.chat.auth.PasswordHasher;
import dev.spillway.chat.telemetry.TurnTracer;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.server.GatewayServer;
import dev.spillway.retrieval.Hit;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One chat turn through the real chat app and the real gateway to a recording backend: the chat
 * app's spans (in memory) and the gateway's spans (exported over OTLP to a recording receiver)
 * are one trace, down to the backend call.
 */
class ChatTraceTest {
    @TempDir
    Path dir;

    private final List<String> backendTraceparents = new CopyOnWriteArrayList<>();
    private final List<byte[]> otlpBodies = new CopyOnWriteArrayList<>();

    @Test
    void theGatewaysSpansJoinTheChatTurnsTraceDownToTheBackendCall() throws Exception {
        HttpServer backend = server(this::backend);
        HttpServer otlp = server(this::otlp);
        InMemorySpanExporter chatSpans = InMemorySpanExporter.create();
        List<SpanData> spans;
        OpenTelemetrySdk chatOtel = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(chatSpans)).build()).build();
        Vertx vertx = Vertx.vertx();
        try {
            GatewayServer gateway = await(GatewayServer.start(vertx, gatewayConfig(url(backend), url(otlp))));
            ChatServer chat = await(ChatServer.start(vertx, chatConfig(gateway.baseUrl()), request -> List.of(new Hit("c1",
                    "handbook.pdf", 3, "Vacation", "Employees get 25 days of paid vacation.", 0.9, "handbook.pdf#page=3")),
                    (citation, groups) -> Optional.empty(), new TurnTracer(chatOtel, chatOtel)));
            ask("http://127.0.0.1:" + chat.port());
            // The turn's span ends just after the answer's last line; wait for it (bounded), then keep
            // the spans, which closing the chat app (and its SDK) clears from the in-memory exporter.
            for (int i = 0; i < 500 && finished(chatSpans).stream().noneMatch(s -> s.getName().equals("chat turn")); i++) {
                Thread.sleep(10);
            }
            spans = finished(chatSpans);
            await(chat.close());
            await(gateway.close()); // flushes the gateway's exporter
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            backend.stop(0);
            otlp.stop(0);
        }
        SpanData turn = spans.stream().filter(s -> s.getName().equals("chat turn")).findFirst().orElseThrow();
        List<String> chatSpanIds = spans.stream().map(SpanData::getSpanId).toList();
        assertThat(backendTraceparents).hasSize(2).allSatisfy(tp -> {
            assertThat(tp).startsWith("00-" + turn.getTraceId() + "-");
            // The backend's parent is the gateway's attempt span, not one of the chat app's.
            assertThat(chatSpanIds).doesNotContain(tp.substring(36, 52));
        });
        byte[] exported = concat(otlpBodies);
        assertThat(contains(exported, HexFormat.of().parseHex(turn.getTraceId())))
                .as("the gateway exported spans of the chat turn's trace").isTrue();
        for (String tp : backendTraceparents) {
            assertThat(contains(exported, HexFormat.of().parseHex(tp.substring(36, 52))))
                    .as("the gateway exported the span that called the backend").isTrue();
        }
    }

    private static List<SpanData> finished(InMemorySpanExporter exporter) {
        return List.copyOf(exporter.getFinishedSpanItems());
    }

    private void ask(String chatUrl) throws Exception {
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL)).build();
        String formToken = json(http.send(HttpRequest.newBuilder(URI.create(chatUrl + "/auth/options")).build(),
                HttpResponse.BodyHandlers.ofString())).path("csrf").asText();
        String csrf = json(post(http, chatUrl + "/auth/login", "{\"username\":\"ann\",\"password\":\"pw-123456\"}", formToken))
                .path("csrf").asText();
        HttpResponse<String> answer = post(http, chatUrl + "/api/chat", "{\"question\":\"How many vacation days?\"}", csrf);
        assertThat(answer.body()).contains("\"type\":\"answer\"");
    }

    private static HttpResponse<String> post(HttpClient http, String url, String body, String csrf) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("content-type", "application/json")
                .header("x-csrf-token", csrf).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return Json.MAPPER.readTree(r.body());
    }

    /** An Azure OpenAI backend that streams a one-line answer and records the traceparent it got. */
    private void backend(HttpExchange ex) throws IOException {
        ex.getRequestBody().readAllBytes();
        // Only the chat completions of the turn; the gateway may call the backend for its own reasons too.
        if (ex.getRequestURI().getPath().endsWith("/chat/completions")) {
            backendTraceparents.add(String.valueOf(ex.getRequestHeaders().getFirst("traceparent")));
        }
        ex.getResponseHeaders().set("content-type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"25 days [handbook.pdf#page=3].\"}}]}\n\n"
                    + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":5,\"total_tokens\":10}}\n\n"
                    + "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private void otlp(HttpExchange ex) throws IOException {
        otlpBodies.add(ex.getRequestBody().readAllBytes());
        ex.sendResponseHeaders(200, -1);
        ex.close();
    }

    private static HttpServer server(com.sun.net.httpserver.HttpHandler handler) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/", handler);
        s.start();
        return s;
    }

    private static String url(HttpServer s) {
        return "http://127.0.0.1:" + s.getAddress().getPort();
    }

    private GatewayConfig gatewayConfig(String backend, String otlp) {
        String yaml = """
                port: 0
                data-dir: "%s"
                database: { url: "jdbc:sqlite:%s/spillway.db" }
                keys: [ { name: chat, key: "sk-spw-trace-test-0123456789abcdef", app: chat-app } ]
                backends: [ { name: b, url: "%s", deployment: gpt-4o } ]
                deployments: [ { name: gpt-4o, backends: [b] } ]
                telemetry: { traces: true, sampling-ratio: 0.0, otlp-endpoint: "%s/v1/traces" }
                """.formatted(dir, dir, backend, otlp);
        ConfigNode root = ConfigLoader.parse(yaml, Map.of());
        GatewayConfig config = GatewayConfig.from(root);
        root.throwIfInvalid();
        return config;
    }

    private ChatConfig chatConfig(String gateway) {
        String yaml = """
                port: 0
                gateway-url: "%s"
                gateway-key: "sk-spw-trace-test-0123456789abcdef"
                deployment: gpt-4o
                users: [ { name: ann, password-hash: "%s" } ]
                history: { url: "jdbc:sqlite:%s/chat.db" }
                """.formatted(gateway, new PasswordHasher(new SecureRandom(), 1_000).hash("pw-123456".toCharArray()), dir);
        ConfigNode root = ConfigLoader.parse(yaml, Map.of());
        ChatConfig config = ChatConfig.from(root);
        root.throwIfInvalid();
        return config;
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        parts.forEach(all::writeBytes);
        return all.toByteArray();
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return true;
        }
        return false;
    }
}
