package dev.spillway.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny Azure-OpenAI-shaped server on 127.0.0.1 and an ephemeral port, steered per request by
 * headers like the real simulator: {@code x-sim-ttft-ms}, {@code x-sim-per-token-ms},
 * {@code x-sim-completion-tokens}, {@code x-fake-cut} (end a stream without {@code [DONE]}).
 * Streams send Azure's prompt-filter frame first, at once. Records every request. Test use only.
 */
final class FakeAzureServer implements AutoCloseable {
    static final String PROMPT_FILTER = "{\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\","
            + "\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{}}]}";

    record Seen(String path, Map<String, String> headers, String body) {
    }

    final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger throttleLeft = new AtomicInteger();
    private final Vertx vertx;
    private final HttpServer server;
    private volatile String utilization = "";
    private volatile long retryAfterMs = 5;

    FakeAzureServer(Vertx vertx) throws Exception {
        this.vertx = vertx;
        this.server = vertx.createHttpServer().requestHandler(this::handle)
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.actualPort());
    }

    /** The next {@code n} requests get 429 with {@code retry-after-ms}. */
    FakeAzureServer throttleFirst(int n, long retryAfterMillis) {
        throttleLeft.set(n);
        retryAfterMs = retryAfterMillis;
        return this;
    }

    FakeAzureServer utilization(String header) {
        utilization = header;
        return this;
    }

    private void handle(HttpServerRequest req) {
        req.body().onSuccess(buf -> {
            String body = buf.toString();
            Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            req.headers().forEach(e -> headers.put(e.getKey(), e.getValue()));
            seen.add(new Seen(req.uri(), headers, body));
            HttpServerResponse resp = req.response();
            if (!utilization.isEmpty()) {
                resp.putHeader("azure-openai-deployment-utilization", utilization);
            }
            if (throttleLeft.getAndDecrement() > 0) {
                resp.setStatusCode(429).putHeader("retry-after-ms", Long.toString(retryAfterMs))
                        .end("{\"error\":{\"code\":\"429\",\"message\":\"Rate limit is exceeded.\"}}");
            } else if (body.contains("\"stream\":true")) {
                stream(req, resp, body.contains("\"include_usage\":true"));
            } else {
                resp.putHeader("content-type", "application/json").end(
                        "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                                + "\"message\":{\"role\":\"assistant\",\"content\":\"Hello there\"},"
                                + "\"finish_reason\":\"stop\"}],\"usage\":{\"completion_tokens\":7,"
                                + "\"prompt_tokens\":11,\"total_tokens\":18}}");
            }
        });
    }

    private void stream(HttpServerRequest req, HttpServerResponse resp, boolean usage) {
        long ttft = header(req, "x-sim-ttft-ms", 0);
        long perToken = header(req, "x-sim-per-token-ms", 0);
        int tokens = (int) header(req, "x-sim-completion-tokens", 3);
        boolean cut = req.getHeader("x-fake-cut") != null;
        resp.setChunked(true).putHeader("content-type", "text/event-stream");
        resp.write("data: " + PROMPT_FILTER + "\n\n");
        vertx.setTimer(Math.max(1, ttft), t -> {
            resp.write(frame("{\"role\":\"assistant\",\"content\":\"\"}", "null"));
            token(resp, 0, tokens, perToken, usage, cut);
        });
    }

    private void token(HttpServerResponse resp, int i, int tokens, long perToken, boolean usage, boolean cut) {
        if (i == tokens) {
            resp.write(frame("{}", "\"stop\""));
            if (cut) {
                resp.end();
                return;
            }
            if (usage) {
                resp.write("data: {\"choices\":[],\"usage\":{\"completion_tokens\":" + tokens
                        + ",\"prompt_tokens\":11,\"total_tokens\":" + (tokens + 11) + "}}\n\n");
            }
            resp.end("data: [DONE]\n\n");
            return;
        }
        resp.write(frame("{\"content\":\"tok" + i + " \"}", "null"));
        if (perToken == 0) {
            token(resp, i + 1, tokens, perToken, usage, cut);
        } else {
            vertx.setTimer(perToken, t -> token(resp, i + 1, tokens, perToken, usage, cut));
        }
    }

    private static String frame(String delta, String finish) {
        return "data: {\"choices\":[{\"content_filter_results\":{},\"delta\":" + delta
                + ",\"finish_reason\":" + finish + ",\"index\":0}],\"object\":\"chat.completion.chunk\","
                + "\"usage\":null}\n\n";
    }

    private static long header(HttpServerRequest req, String name, long otherwise) {
        String v = req.getHeader(name);
        return v == null ? otherwise : Long.parseLong(v);
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get();
    }
}
