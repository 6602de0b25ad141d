package dev.spillway.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.gateway.testkit.FakeBackend;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.testkit.Yaml;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's HTTP behaviour end to end, against fake backends on loopback. */
class GatewayServerTest {
    static final String KEY = "client-key-0123456789abcdef0123456789";
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Vertx vertx;
    FakeBackend primary;
    FakeBackend secondary;
    GatewayServer gateway;

    @TempDir
    Path dataDir;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        primary = FakeBackend.started(vertx);
        secondary = FakeBackend.started(vertx);
        String yaml = """
                gateway:
                  port: 0
                  data-dir: "%s"
                  max-body-size: 64KiB
                  body-timeout: 500ms
                  keys: [ { name: test-app, key: "%s" } ]
                  backends:
                    - { name: primary, url: "%s", deployment: up-primary, auth: api-key, secret: backend-secret, first-byte-timeout: 400ms }
                    - { name: secondary, url: "%s/v1", api: openai, deployment: up-secondary, auth: bearer, secret: other-secret }
                    - { name: dead, url: "http://127.0.0.1:1", deployment: x, connect-timeout: 500ms }
                    - { name: narrow, url: "%s", deployment: up-narrow, max-connections: 1, connect-timeout: 100ms }
                  deployments:
                    - { name: gpt-4o, backends: [primary, secondary] }
                    - { name: only-primary, backends: [primary] }
                    - { name: only-secondary, backends: [secondary] }
                    - { name: only-dead, backends: [dead] }
                    - { name: only-narrow, backends: [narrow] }
                """.formatted(dataDir, KEY, primary.url(), secondary.url(), primary.url());
        GatewayConfig config = Yaml.gateway(yaml);
        gateway = GatewayServer.start(vertx, config, 1, Clock.systemUTC()).toCompletionStage().toCompletableFuture().get();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> chat(String path, String body) throws Exception {
        return post(path, body, "api-key", KEY, "content-type", "application/json");
    }

    static final String AZURE = "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21";
    static final String CHAT = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":20,\"x_custom\":{\"keep\":[1,2.50]}}";

    @Test
    void azureChatPassesThroughBodyAndUnknownHeadersUntouched() throws Exception {
        primary.responder = (req, body) -> req.response().putHeader("content-type", "application/json")
                .putHeader("x-ratelimit-remaining-tokens", "29000")
                .end("{\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":5},\"extra\":true}");
        HttpResponse<String> r = post(AZURE, CHAT, "api-key", KEY, "x-custom-header", "kept", "content-type", "application/json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"extra\":true");
        assertThat(r.headers().firstValue("x-ratelimit-remaining-tokens")).hasValue("29000");
        assertThat(r.headers().firstValue("x-spillway-request-id")).isPresent();
        FakeBackend.Received got = primary.last();
        assertThat(got.uri()).isEqualTo("/openai/deployments/up-primary/chat/completions?api-version=2024-10-21");
        assertThat(got.body()).isEqualTo(CHAT);
        assertThat(got.headers().get("api-key")).isEqualTo("backend-secret");
        assertThat(got.headers().get("x-custom-header")).isEqualTo("kept");
    }

    @Test
    void openAiFrontDoorNamesTheDeploymentInTheBodyAndOpenAiBackendsGetTheirModelName() throws Exception {
        HttpResponse<String> r = chat("/v1/chat/completions",
                "{\"model\":\"only-secondary\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0.70}");
        assertThat(r.statusCode()).isEqualTo(200);
        FakeBackend.Received got = secondary.last();
        assertThat(got.uri()).isEqualTo("/v1/chat/completions");
        assertThat(got.body()).contains("\"model\":\"up-secondary\"").contains("\"temperature\":0.7");
        assertThat(got.headers().get("authorization")).isEqualTo("Bearer other-secret");
        assertThat(got.headers().get("api-key")).isNull();
    }

    @Test
    void bearerClientKeyIsAccepted() throws Exception {
        HttpResponse<String> r = post("/openai/v1/chat/completions",
                "{\"model\":\"only-primary\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "authorization", "Bearer " + KEY);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(primary.last().uri()).isEqualTo("/openai/deployments/up-primary/chat/completions?api-version=2024-10-21");
    }

    @Test
    void modelsListsTheDeploymentAliases() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/models"))
                .header("api-key", KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"object\":\"list\"").contains("\"id\":\"gpt-4o\"").contains("\"id\":\"only-dead\"");
    }

    @Test
    void healthEndpointsAnswerWithoutCredentials() throws Exception {
        for (String path : new String[] {"/healthz", "/readyz", "/status-0123456789abcdef"}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    void failsOverToTheNextBackendOnServerError() throws Exception {
        primary.responder = (req, body) -> req.response().setStatusCode(500).end("{\"error\":{\"code\":\"500\"}}");
        HttpResponse<String> r = chat(AZURE, CHAT);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(primary.received).hasSize(1);
        assertThat(secondary.received).hasSize(1);
    }

    @Test
    void lastBackendAnswerPassesThroughWhenAllAreThrottled() throws Exception {
        FakeBackend.Responder throttle = (req, body) -> req.response().setStatusCode(429)
                .putHeader("retry-after-ms", "1500").putHeader("retry-after", "2")
                .end("{\"error\":{\"code\":\"429\",\"message\":\"slow down\"}}");
        primary.responder = throttle;
        secondary.responder = throttle;
        HttpResponse<String> r = chat(AZURE, CHAT);
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("retry-after-ms")).hasValue("1500");
        assertThat(r.body()).contains("slow down");
    }

    @Test
    void clientErrorsFromTheBackendAreNotRetried() throws Exception {
        primary.responder = (req, body) -> req.response().setStatusCode(400).end("{\"error\":{\"code\":\"BadRequest\"}}");
        HttpResponse<String> r = chat(AZURE, CHAT);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(secondary.received).isEmpty();
    }

    @Test
    void streamsPassThroughChunkByChunk() throws Exception {
        CountDownLatch clientSawFirst = new CountDownLatch(1);
        primary.responder = (req, body) -> {
            req.response().setChunked(true).putHeader("content-type", "text/event-stream");
            req.response().write("data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n");
            vertx.executeBlocking(() -> clientSawFirst.await(5, TimeUnit.SECONDS)).onComplete(v -> {
                req.response().write("data: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\n\n");
                req.response().end("data: [DONE]\n\n");
            });
        };
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
                        + "/openai/deployments/only-primary/chat/completions?api-version=2024-10-21"))
                .header("api-key", KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        try (InputStream in = r.body()) {
            String first = readUntil(in, "\n\n");
            assertThat(first).contains("Hel");
            clientSawFirst.countDown();
            String rest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(rest).contains("lo").endsWith("data: [DONE]\n\n");
        }
    }

    static final String USAGE_STREAM = "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}],\"usage\":null}\n\n"
            + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":1}}\n\n"
            + "data: [DONE]\n\n";

    @Test
    void aRequestWithoutMaxTokensGetsTheCapWrittenInAndEveryOtherByteAsItCame() throws Exception {
        String noMax = " {\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"x_custom\":{\"keep\":[1,2.50]}}";
        assertThat(chat(AZURE, noMax).statusCode()).isEqualTo(200);
        assertThat(primary.last().body()).isEqualTo(" {\"max_completion_tokens\":16384,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}],\"x_custom\":{\"keep\":[1,2.50]}}");
    }

    @Test
    void streamsAskTheBackendForUsageAndHideItFromClientsThatDidNot() throws Exception {
        primary.responder = (req, body) -> req.response().putHeader("content-type", "text/event-stream").end(USAGE_STREAM);
        HttpResponse<String> r = chat("/openai/deployments/only-primary/chat/completions?api-version=2024-10-21",
                "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(primary.last().body()).contains("\"stream_options\":{\"include_usage\":true}");
        assertThat(r.body()).contains("\"content\":\"Hi\"").doesNotContain("prompt_tokens").doesNotContain("usage").endsWith("data: [DONE]\n\n");
    }

    @Test
    void clientsThatAskForUsageGetTheUsageChunkAndTheirBodyUnchanged() throws Exception {
        primary.responder = (req, body) -> req.response().putHeader("content-type", "text/event-stream").end(USAGE_STREAM);
        String body = "{\"stream\":true,\"stream_options\":{\"include_usage\":true},\"max_tokens\":9,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        HttpResponse<String> r = chat("/openai/deployments/only-primary/chat/completions?api-version=2024-10-21", body);
        assertThat(primary.last().body()).isEqualTo(body);
        assertThat(r.body()).isEqualTo(USAGE_STREAM);
    }

    @Test
    void aStreamThatBreaksMidwayEndsWithAnErrorEventAndNoDone() throws Exception {
        primary.responder = (req, body) -> {
            req.response().setChunked(true).putHeader("content-type", "text/event-stream");
            req.response().write("data: {\"choices\":[{\"delta\":{\"content\":\"partial\"}}]}\n\n")
                    .onComplete(v -> vertx.setTimer(50, t -> req.connection().close()));
        };
        HttpResponse<String> r = chat("/openai/deployments/only-primary/chat/completions?api-version=2024-10-21",
                "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("partial").contains("data: {\"error\":").doesNotContain("[DONE]")
                .contains("The stream from backend 'primary' broke after it started")
                .contains("the response is incomplete").doesNotContain("could not be reached");
    }

    @Test
    void aClientThatLeavesMidStreamCancelsTheBackendCall() throws Exception {
        CountDownLatch backendSawClose = new CountDownLatch(1);
        primary.responder = (req, body) -> {
            req.response().setChunked(true).putHeader("content-type", "text/event-stream");
            req.response().closeHandler(v -> backendSawClose.countDown());
            req.response().write("data: {\"choices\":[{\"delta\":{\"content\":\"first\"}}]}\n\n");
        };
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            String body = "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            s.getOutputStream().write(("POST /openai/deployments/only-primary/chat/completions?api-version=2024-10-21 HTTP/1.1\r\n"
                    + "host: x\r\napi-key: " + KEY + "\r\ncontent-length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(readUntil(s.getInputStream(), "first")).contains("200");
        }
        assertThat(backendSawClose.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void missingOrWrongKeyIs401InTheEnvelope() throws Exception {
        HttpResponse<String> none = post(AZURE, CHAT);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).contains("\"code\":\"401\"").contains("api-key");
        HttpResponse<String> wrong = post(AZURE, CHAT, "api-key", "nope");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Access denied due to invalid subscription key");
        assertThat(primary.received).isEmpty();
    }

    @Test
    void unknownDeploymentIs404DeploymentNotFound() throws Exception {
        HttpResponse<String> r = chat("/openai/deployments/gpt-5/chat/completions?api-version=2024-10-21", CHAT);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("\"code\":\"DeploymentNotFound\"").contains("gpt-5")
                .contains("it serves: gpt-4o, only-primary, only-secondary, only-dead, only-narrow.");
        HttpResponse<String> v1 = chat("/v1/chat/completions", "{\"model\":\"gpt-5\",\"messages\":[{}]}");
        assertThat(v1.statusCode()).isEqualTo(404);
    }

    @Test
    void metricsOffMeansNoMetricsEndpoint() throws Exception {
        HttpResponse<String> on = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(on.statusCode()).isEqualTo(200);
        ConfigNode root = ConfigLoader.parse("""
                gateway:
                  port: 0
                  data-dir: "%s/off"
                  ledger: { enabled: false }
                  telemetry: { metrics: false }
                  keys: [ { name: test-app, key: "%s" } ]
                  backends: [ { name: primary, url: "%s", deployment: up-primary } ]
                  deployments: [ { name: gpt-4o, backends: [primary] } ]
                """.formatted(dataDir, KEY, primary.url()), Map.of());
        GatewayConfig config = GatewayConfig.from(root.child("gateway"));
        root.throwIfInvalid();
        GatewayServer off = GatewayServer.start(vertx, config, 1, Clock.systemUTC()).toCompletionStage()
                .toCompletableFuture().get();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(off.baseUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("\"error\"");
    }

    @Test
    void errorsTheGatewayWritesCarryAzuresRequestIdHeaders() throws Exception {
        List<HttpResponse<String>> errors = List.of(post(AZURE, CHAT),
                chat("/openai/deployments/gpt-5/chat/completions?api-version=2024-10-21", CHAT),
                chat("/openai/deployments/gpt-4o/chat/complete?api-version=1", CHAT),
                chat(AZURE, "{\"messages\":"),
                http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + AZURE)).GET().build(),
                        HttpResponse.BodyHandlers.ofString()));
        for (HttpResponse<String> r : errors) {
            String id = r.headers().firstValue("x-spillway-request-id").orElseThrow();
            assertThat(r.headers().firstValue("apim-request-id")).as(r.body()).hasValue(id);
            assertThat(r.headers().firstValue("x-request-id")).as(r.body()).hasValue(id);
        }
        assertThat(errors).extracting(HttpResponse::statusCode).containsExactly(401, 404, 404, 400, 405);
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + AZURE)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("allow")).hasValue("POST");
        assertThat(r.body()).contains("\"error\"");
    }

    @Test
    void unknownPathIs404() throws Exception {
        HttpResponse<String> r = chat("/openai/deployments/gpt-4o/chat/complete?api-version=1", CHAT);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("No route for POST");
    }

    @Test
    void malformedJsonIs400NamingTheProblem() throws Exception {
        HttpResponse<String> r = chat(AZURE, "{\"messages\": [");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\"code\":\"invalid_json\"").contains("not valid JSON");
        assertThat(primary.received).isEmpty();
    }

    @Test
    void missingMessagesIs400WithParam() throws Exception {
        HttpResponse<String> r = chat(AZURE, "{\"temperature\":1}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\"param\":\"messages\"");
    }

    @Test
    void missingApiVersionOnAzureRoutesIs400() throws Exception {
        HttpResponse<String> r = chat("/openai/deployments/gpt-4o/chat/completions", CHAT);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("api-version");
    }

    @Test
    void invalidUtf8Is400() throws Exception {
        byte[] bad = {'{', '"', 'a', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'};
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + AZURE))
                .header("api-key", KEY).POST(HttpRequest.BodyPublishers.ofByteArray(bad)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("UTF-8");
    }

    @Test
    void tenThousandDeepNestingIs400NotACrash() throws Exception {
        String deep = "{\"messages\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        HttpResponse<String> r = chat(AZURE, deep);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("nesting depth");
        assertThat(chat(AZURE, CHAT).statusCode()).isEqualTo(200);
    }

    @Test
    void declaredBodyOverTheLimitIs413BeforeItIsRead() throws Exception {
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            s.getOutputStream().write(("POST " + AZURE + " HTTP/1.1\r\nhost: x\r\napi-key: " + KEY
                    + "\r\ncontent-length: 1073741824\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 413").contains("request_too_large")
                    .contains("apim-request-id: ").contains("x-request-id: ");
        }
    }

    @Test
    void aGibibyteChunkedBodyIsCutOffAt413AndTheServerStaysUp() throws Exception {
        long sent = 0;
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("POST " + AZURE + " HTTP/1.1\r\nhost: x\r\napi-key: " + KEY
                    + "\r\ntransfer-encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("10000\r\n" + "a".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            try {
                for (int i = 0; i < 16_384; i++) { // 16,384 x 64 KiB = 1 GiB at most
                    out.write(chunk);
                    sent += 0x10000;
                }
            } catch (java.io.IOException expected) {
                // the gateway closed the connection after answering 413
            }
            String answer = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(answer).isEqualTo("HTTP/1.1 413");
        }
        assertThat(sent).as("bytes the client managed to send before the gateway hung up").isLessThan(256L << 20);
        assertThat(chat(AZURE, CHAT).statusCode()).isEqualTo(200);
    }

    @Test
    void aClientThatNeverFinishesItsBodyGets408() throws Exception {
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(("POST " + AZURE + " HTTP/1.1\r\nhost: x\r\napi-key: " + KEY
                    + "\r\ncontent-length: 100\r\n\r\n{\"mess").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("did not arrive");
        }
    }

    @Test
    void requestsWaitingForAPooledConnectionAreNotConnectTimeouts() throws Exception {
        primary.responder = (req, body) -> vertx.setTimer(300, t -> req.response()
                .putHeader("content-type", "application/json").end("{}"));
        var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            var calls = new java.util.ArrayList<java.util.concurrent.Future<HttpResponse<String>>>();
            for (int i = 0; i < 3; i++) {
                calls.add(pool.submit(() -> chat("/openai/deployments/only-narrow/chat/completions?api-version=2024-10-21", CHAT)));
            }
            for (var call : calls) assertThat(call.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void unreachableBackendIs502() throws Exception {
        HttpResponse<String> r = chat("/openai/deployments/only-dead/chat/completions?api-version=2024-10-21", CHAT);
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("\"code\":\"bad_gateway\"").contains("dead");
    }

    @Test
    void backendThatNeverAnswersIs504() throws Exception {
        primary.responder = (req, body) -> {
            // accept the request, never answer
        };
        HttpResponse<String> r = chat("/openai/deployments/only-primary/chat/completions?api-version=2024-10-21", CHAT);
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).contains("\"code\":\"upstream_timeout\"");
    }

    private static String readUntil(InputStream in, String marker) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            sb.append((char) c);
            if (sb.toString().endsWith(marker)) break;
        }
        return sb.toString();
    }
}
