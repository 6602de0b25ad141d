package dev.spillway.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.testkit.Yaml;
import dev.spillway.gateway.testkit.FakeBackend;
import dev.spillway.gateway.ledger.SpoolUsageLedger;
import dev.spillway.gateway.ledger.UsageRecord;
import dev.spillway.store.jdbc.Database;
import dev.spillway.store.jdbc.ledger.JdbcUsageStore;
import java.util.Optional;
import dev.spillway.core.testkit.FakeClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Files and Batches API end to end on this module's SQLite store, against a fake backend:
 * uploads, batches through their statuses, bad input as OpenAI answers it. The scheduler is driven
 * by {@code tick()} on an injected clock, so nothing sleeps.
 */
class BatchApiIntegrationTest {
    static final String KEY = "sk-spw-batch-test-0123456789abcdef";
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final String OTHER = "sk-spw-other-app-0123456789abcdef";
    @TempDir
    Path data;
    private Vertx vertx;
    private FakeBackend backend;
    private GatewayServer gateway;
    private final FakeClock clock = new FakeClock();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        backend = FakeBackend.started(vertx);
        backend.responder = (req, body) -> {
            JsonNode request = read(body.toString());
            String said = request.path("messages").path(0).path("content").asText();
            req.response().putHeader("content-type", "application/json").end("{\"id\":\"c\",\"object\":\"chat.completion\","
                    + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"echo " + said + "\"}}],"
                    + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2,\"total_tokens\":12}}");
        };
        startGateway("max-in-flight: 8, min-in-flight: 8");
    }

    private void startGateway(String batchSettings) throws Exception {
        String yaml = """
                gateway:
                  port: 0
                  data-dir: "%s"
                  database: { url: "jdbc:sqlite:%s/spillway.db" }
                  keys:
                    - { name: batch-key, key: "%s", app: reports, team: finance }
                    - { name: other-key, key: "%s", app: other }
                  backends: [ { name: ptu, url: "%s", deployment: gpt-4o-ptu } ]
                  deployments: [ { name: gpt-4o, backends: [ptu] } ]
                  prices: [ { backend: ptu, input-per-1m: 2, output-per-1m: 8, batch-discount-percent: 50 } ]
                  batch: { poll-interval: 1h, max-lines: 10, max-file-size: 4KiB, %s }
                """.formatted(data, data, KEY, OTHER, backend.url(), batchSettings);
        GatewayConfig config = Yaml.gateway(yaml);
        gateway = await(GatewayServer.start(vertx, config, 1, clock));
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    static String line(String customId, String url, String model, String text) {
        return "{\"custom_id\":\"" + customId + "\",\"method\":\"POST\",\"url\":\"" + url + "\",\"body\":{\"model\":\""
                + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}}";
    }

    static String chatLine(String customId, String text) {
        return line(customId, "/v1/chat/completions", "gpt-4o", text);
    }

    HttpResponse<String> upload(String key, String jsonl) throws Exception {
        String boundary = "spillway-test-boundary";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"in.jsonl\"\r\n"
                + "Content-Type: application/jsonl\r\n\r\n" + jsonl + "\r\n--" + boundary + "--\r\n";
        return http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/files")).timeout(TIMEOUT).header("api-key", key)
                .header("content-type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path, String key, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).timeout(TIMEOUT)
                .header("api-key", key);
        b = json == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("content-type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return read(r.body());
    }

    /** Uploads the lines and creates a chat batch of them; returns the batch id. */
    String batchOf(String... lines) throws Exception {
        String fileId = ok(upload(KEY, String.join("\n", lines) + "\n")).path("id").asText();
        JsonNode created = ok(send("POST", "/v1/batches", KEY, "{\"input_file_id\":\"" + fileId
                + "\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\",\"metadata\":{\"job\":\"nightly\"}}"));
        assertThat(created.path("status").asText()).isEqualTo("validating");
        assertThat(created.path("metadata").path("job").asText()).isEqualTo("nightly");
        return created.path("id").asText();
    }

    JsonNode batch(String id) throws Exception {
        return ok(send("GET", "/v1/batches/" + id, KEY, null));
    }

    List<JsonNode> fileLines(String fileId) throws Exception {
        HttpResponse<String> r = send("GET", "/v1/files/" + fileId + "/content", KEY, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        for (String l : r.body().split("\n")) if (!l.isBlank()) out.add(read(l));
        return out;
    }

    /** The ledger row of a request, once the spool drained (the record is appended just after the line ends). */
    UsageRecord ledgerRow(String requestId) throws Exception {
        SpoolUsageLedger spool = (SpoolUsageLedger) gateway.accounting().ledger();
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("spillway.db"), Optional.empty(), Optional.empty(), 1)) {
            JdbcUsageStore store = new JdbcUsageStore(db);
            assertThat(spool.awaitDrained(Duration.ofSeconds(10))).isTrue();
            return store.find(requestId).orElseThrow(() -> new AssertionError("no ledger row for " + requestId));
        }
    }

    void tick() throws Exception {
        await(gateway.batchLane().tick());
    }

    @Test
    void aBatchRunsEveryLineThroughTheGatewayAndCompletesWithOneAnswerPerCustomId() throws Exception {
        String id = batchOf(chatLine("a", "alpha"), chatLine("b", "beta"), chatLine("c", "gamma"));
        tick();
        tick();
        JsonNode done = batch(id);
        assertThat(done.path("status").asText()).isEqualTo("completed");
        assertThat(done.path("request_counts").toString()).isEqualTo("{\"total\":3,\"completed\":3,\"failed\":0}");
        assertThat(done.path("error_file_id").isNull()).isTrue();
        for (String stamp : List.of("in_progress_at", "finalizing_at", "completed_at")) {
            assertThat(done.path(stamp).asLong()).as(stamp).isEqualTo(clock.instant().getEpochSecond());
        }
        List<JsonNode> output = fileLines(done.path("output_file_id").asText());
        assertThat(output).extracting(l -> l.path("custom_id").asText()).containsExactlyInAnyOrder("a", "b", "c");
        JsonNode a = output.stream().filter(l -> l.path("custom_id").asText().equals("a")).findFirst().orElseThrow();
        assertThat(a.path("response").path("status_code").asInt()).isEqualTo(200);
        assertThat(a.path("response").path("body").path("choices").path(0).path("message").path("content").asText())
                .isEqualTo("echo alpha");
        assertThat(a.path("error").isNull()).isTrue();
        assertThat(a.path("id").asText()).startsWith("batch_req_");
        assertThat(backend.received).hasSize(3);
        UsageRecord ledgered = ledgerRow(a.path("response").path("request_id").asText());
        assertThat(ledgered).extracting(UsageRecord::app, UsageRecord::team, UsageRecord::priority,
                UsageRecord::promptTokens, UsageRecord::status).containsExactly("reports", "finance", "batch", 10L, 200);
        assertThat(ledgered.costNanos()).as("(10 x 2 + 2 x 8) USD per 1M tokens, half off for batch").isEqualTo(18_000L);
        assertThat(ledgered.batchDiscountNanos()).isEqualTo(18_000L);
        String metrics = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("spillway_batch_lines_ended_total 3.0", "spillway_batch_queue_depth 0.0",
                "spillway_batch_queue_oldest_age_seconds 0.0", "spillway_batch_lines_in_flight 0.0");
        JsonNode outputFile = ok(send("GET", "/v1/files/" + done.path("output_file_id").asText(), KEY, null));
        assertThat(outputFile.path("purpose").asText()).isEqualTo("batch_output");
    }

    @Test
    void theQueueDepthAndTheAgeOfItsOldestLineAreMetrics() throws Exception {
        gateway.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        startGateway("max-in-flight: 1, min-in-flight: 1");
        batchOf(chatLine("a", "1"), chatLine("b", "2"), chatLine("c", "3"));
        tick();
        clock.advance(Duration.ofSeconds(30));
        tick();
        String metrics = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("spillway_batch_queue_depth 2.0", "spillway_batch_queue_oldest_age_seconds 30.0",
                "spillway_batch_lines_ended_total 2.0");
    }

    @Test
    void badLinesBecomeErrorLinesAndTheRestStillRuns() throws Exception {
        String id = batchOf("{not json", chatLine("good", "hello"), line("unknown", "/v1/chat/completions", "gpt-9", "x"),
                line("wrong-url", "/v1/embeddings", "gpt-4o", "x"), chatLine("good", "duplicate"));
        tick();
        tick();
        JsonNode done = batch(id);
        assertThat(done.path("status").asText()).isEqualTo("completed");
        assertThat(done.path("request_counts").toString()).isEqualTo("{\"total\":5,\"completed\":1,\"failed\":4}");
        assertThat(fileLines(done.path("output_file_id").asText())).singleElement()
                .satisfies(l -> assertThat(l.path("custom_id").asText()).isEqualTo("good"));
        List<JsonNode> errors = fileLines(done.path("error_file_id").asText());
        assertThat(errors).extracting(l -> l.path("error").path("code").asText())
                .containsExactly("invalid_json_line", "model_not_found", "invalid_url", "duplicate_custom_id");
        assertThat(errors).allSatisfy(l -> assertThat(l.path("response").isNull()).isTrue());
        assertThat(backend.received).hasSize(1);
    }

    @Test
    void aFileWithTooManyLinesOrTooManyBytesIsRefusedAtUpload() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 11; i++) lines.add(chatLine("l" + i, "x"));
        HttpResponse<String> tooMany = upload(KEY, String.join("\n", lines));
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(read(tooMany.body()).path("error").path("code").asText()).isEqualTo("too_many_requests_in_file");
        HttpResponse<String> tooBig = upload(KEY, chatLine("big", "x".repeat(5000)));
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(ok(send("GET", "/v1/files", KEY, null)).path("data")).isEmpty();
    }

    @Test
    void cancellingMidRunStopsNewLinesAndEndsTheBatchCancelled() throws Exception {
        gateway.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        startGateway("max-in-flight: 1, min-in-flight: 1");
        String id = batchOf(chatLine("a", "1"), chatLine("b", "2"), chatLine("c", "3"));
        tick();
        JsonNode cancelling = ok(send("POST", "/v1/batches/" + id + "/cancel", KEY, null));
        assertThat(cancelling.path("status").asText()).isEqualTo("cancelling");
        tick();
        JsonNode done = batch(id);
        assertThat(done.path("status").asText()).isEqualTo("cancelled");
        assertThat(done.path("request_counts").toString()).isEqualTo("{\"total\":3,\"completed\":1,\"failed\":2}");
        assertThat(backend.received).hasSize(1);
        assertThat(fileLines(done.path("error_file_id").asText())).extracting(l -> l.path("error").path("code").asText())
                .containsExactly("batch_cancelled", "batch_cancelled");
        assertThat(send("POST", "/v1/batches/" + id + "/cancel", KEY, null).statusCode()).isEqualTo(200);
    }

    @Test
    void linesNotRunWithinTheCompletionWindowExpire() throws Exception {
        gateway.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        startGateway("max-in-flight: 1, min-in-flight: 1");
        String id = batchOf(chatLine("a", "1"), chatLine("b", "2"), chatLine("c", "3"));
        tick();
        clock.advance(Duration.ofHours(24));
        tick();
        JsonNode done = batch(id);
        assertThat(done.path("status").asText()).isEqualTo("expired");
        assertThat(done.path("expired_at").asLong()).isEqualTo(clock.instant().getEpochSecond());
        assertThat(done.path("request_counts").toString()).isEqualTo("{\"total\":3,\"completed\":1,\"failed\":2}");
        assertThat(fileLines(done.path("error_file_id").asText())).extracting(l -> l.path("error").path("code").asText())
                .containsExactly("batch_expired", "batch_expired");
        assertThat(backend.received).hasSize(1);
    }

    @Test
    void anotherAppSeesNeitherTheFilesNorTheBatches() throws Exception {
        String id = batchOf(chatLine("a", "1"));
        assertThat(send("GET", "/v1/batches/" + id, OTHER, null).statusCode()).isEqualTo(404);
        assertThat(ok(send("GET", "/v1/batches", OTHER, null)).path("data")).isEmpty();
        assertThat(ok(send("GET", "/v1/batches", KEY, null)).path("data")).hasSize(1);
        assertThat(send("POST", "/v1/batches/" + id + "/cancel", OTHER, null).statusCode()).isEqualTo(404);
    }

    @Test
    void theApiNeedsAKeyAndAzureRoutesNeedAnApiVersion() throws Exception {
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/batches"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<String> noVersion = send("GET", "/openai/batches", KEY, null);
        assertThat(noVersion.statusCode()).isEqualTo(400);
        assertThat(read(noVersion.body()).path("error").path("code").asText()).isEqualTo("missing_api_version");
        assertThat(ok(send("GET", "/openai/batches?api-version=2024-10-21", KEY, null)).path("object").asText())
                .isEqualTo("list");
    }

    @Test
    void aBatchNeedsAKnownEndpointAnOwnBatchFileAndTheTwentyFourHourWindow() throws Exception {
        String fileId = ok(upload(KEY, chatLine("a", "1"))).path("id").asText();
        String base = "{\"input_file_id\":\"" + fileId + "\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}";
        assertThat(send("POST", "/v1/batches", KEY, base.replace("/v1/chat/completions", "/v1/images")).statusCode()).isEqualTo(400);
        assertThat(send("POST", "/v1/batches", KEY, base.replace("24h", "48h")).statusCode()).isEqualTo(400);
        assertThat(send("POST", "/v1/batches", OTHER, base).statusCode()).isEqualTo(404);
        assertThat(send("POST", "/v1/batches", KEY, "{}").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/v1/batches", KEY, base).statusCode()).isEqualTo(200);
    }
}
