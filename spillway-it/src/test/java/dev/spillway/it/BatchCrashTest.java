package dev.spillway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway process is killed with SIGKILL in the middle of a batch and a new one started on the
 * same data directory finishes it: every custom_id is in the output exactly once. Lines in flight
 * at the crash are run again after their lease expires (the backend sees them twice). Bounded:
 * each wait gives up after 60 s.
 */
class BatchCrashTest {
    private static final String KEY = "sk-spw-crash-test-0123456789abcdef";
    private static final int LINES = 12;
    @TempDir
    Path data;
    private final Vertx vertx = Vertx.vertx();
    private final AtomicInteger received = new AtomicInteger();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Process> gateways = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Process p : gateways) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** A backend that answers each chat after 300 ms, so a batch is mid-run for a few seconds. */
    private String slowBackend() throws Exception {
        HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            received.incrementAndGet();
            vertx.setTimer(300, t -> req.response().putHeader("content-type", "application/json").end(
                    "{\"id\":\"c\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
                            + "\"assistant\",\"content\":\"ok\"}}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}"));
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** Starts {@code spillway gateway} as its own JVM; returns its base URL once it listens. */
    private String startGateway(Path config) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        // Quick start flags: the process lives for seconds, so peak speed does not matter.
        Process p = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"),
                "dev.spillway.cli.SpillwayCommand", "gateway", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        gateways.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < until) {
            String line = out.readLine();
            if (line == null) break;
            int at = line.indexOf("listening on ");
            if (at >= 0) {
                Thread.ofVirtual().start(() -> out.lines().forEach(l -> { })); // keep draining its log
                return line.substring(at + 13).split(" ")[0];
            }
        }
        throw new AssertionError("the gateway process did not start");
    }

    private JsonNode call(String url, String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(20))
                .header("api-key", KEY);
        b = json == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("content-type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return path.endsWith("/content") ? Json.MAPPER.getNodeFactory().textNode(r.body()) : Json.MAPPER.readTree(r.body());
    }

    private String upload(String url, String jsonl) throws Exception {
        String boundary = "crash-boundary";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"in.jsonl\"\r\n\r\n" + jsonl + "\r\n--"
                + boundary + "--\r\n";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/files")).header("api-key", KEY)
                .header("content-type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body()).path("id").asText();
    }

    private static void within60s(String what, BooleanSupplier done) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > until) throw new AssertionError("gave up waiting: " + what);
            Thread.sleep(100); // waiting on another process; bounded above
        }
    }

    @Test
    void aGatewayKilledMidBatchIsReplacedAndTheBatchFinishesWithEachCustomIdOnce() throws Exception {
        String backend = slowBackend();
        Path config = data.resolve("spillway.yaml");
        Files.writeString(config, """
                gateway:
                  port: 0
                  data-dir: "%s"
                  database: { url: "jdbc:sqlite:%s/spillway.db" }
                  keys: [ { name: crash, key: "%s", app: crash-app } ]
                  backends: [ { name: ptu, url: "%s", deployment: gpt-4o } ]
                  deployments: [ { name: gpt-4o, backends: [ptu] } ]
                  batch: { poll-interval: 100ms, lease: 2s, max-in-flight: 2 }
                """.formatted(data, data, KEY, backend));
        String first = startGateway(config);
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < LINES; i++) {
            jsonl.append("{\"custom_id\":\"line-").append(i).append("\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
                    + "\"body\":{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}}\n");
        }
        String fileId = upload(first, jsonl.toString());
        String batchId = call(first, "POST", "/v1/batches", "{\"input_file_id\":\"" + fileId
                + "\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}").path("id").asText();
        within60s("lines reaching the backend", () -> received.get() >= 4);
        gateways.get(0).destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs
        int beforeCrash = received.get();
        assertThat(beforeCrash).as("the crash came mid-batch").isLessThan(LINES);

        String second = startGateway(config);
        JsonNode[] batch = new JsonNode[1];
        within60s("the batch to complete", () -> {
            try {
                batch[0] = call(second, "GET", "/v1/batches/" + batchId, null);
                return batch[0].path("status").asText().equals("completed");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(batch[0].path("request_counts").toString())
                .isEqualTo("{\"total\":" + LINES + ",\"completed\":" + LINES + ",\"failed\":0}");
        String output = call(second, "GET", "/v1/files/" + batch[0].path("output_file_id").asText() + "/content", null)
                .asText();
        List<String> ids = new ArrayList<>();
        for (String line : output.split("\n")) if (!line.isBlank()) ids.add(Json.MAPPER.readTree(line).path("custom_id").asText());
        assertThat(ids).hasSize(LINES);
        assertThat(new HashSet<>(ids)).hasSize(LINES);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < LINES; i++) expected.add("line-" + i);
        assertThat(new HashSet<>(ids)).isEqualTo(expected);
        assertThat(received.get()).as("lines in flight at the crash ran again").isGreaterThanOrEqualTo(LINES);
    }
}
