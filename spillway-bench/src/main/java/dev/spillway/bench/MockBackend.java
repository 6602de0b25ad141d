package dev.spillway.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.concurrent.CountDownLatch;

/**
 * A constant-cost chat-completions backend for the overhead harness: every POST gets a fixed
 * ~1 KB {@code chat.completion}, or, when the body asks for {@code "stream":true}, an Azure-ordered
 * SSE stream (prompt-filter frame, role, N content frames, finish, usage, {@code [DONE]}) paced by
 * the simulator's {@code x-sim-per-token-ms} and {@code x-sim-completion-tokens} headers. It does
 * no quota or fault work, so it isolates a proxy's cost from the simulator's. Listens on
 * 127.0.0.1 only. Run with {@code java -cp ... dev.spillway.bench.MockBackend PORT}.
 */
public final class MockBackend {
    private static final String FILLER = "Spillway overhead benchmark response text. ".repeat(16);
    private static final Buffer COMPLETION = Buffer.buffer("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\","
            + "\"created\":1700000000,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":\"" + FILLER + "\"},\"finish_reason\":\"stop\","
            + "\"logprobs\":null}],\"usage\":{\"completion_tokens\":128,\"prompt_tokens\":240,\"total_tokens\":368}}");
    private static final String PROMPT_FILTER = "data: {\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\","
            + "\"object\":\"\",\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{}}]}\n\n";

    private final Vertx vertx;

    private MockBackend(Vertx vertx) {
        this.vertx = vertx;
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8081;
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        MockBackend backend = new MockBackend(vertx);
        vertx.createHttpServer().requestHandler(backend::handle).listen(port, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get();
        System.out.println("mock backend listening on http://127.0.0.1:" + port);
        new CountDownLatch(1).await();
    }

    private void handle(HttpServerRequest req) {
        req.body().onSuccess(body -> {
            String text = body.toString();
            HttpServerResponse resp = req.response();
            if (text.contains("\"stream\":true") || text.contains("\"stream\": true")) {
                int tokens = header(req, "x-sim-completion-tokens", 8);
                long perToken = header(req, "x-sim-per-token-ms", 0);
                resp.setChunked(true).putHeader("content-type", "text/event-stream")
                        .putHeader("cache-control", "no-cache");
                resp.write(PROMPT_FILTER);
                resp.write(frame("{\"content\":\"\",\"role\":\"assistant\"}", "null"));
                new Stream(resp, tokens, perToken, text.contains("\"include_usage\":true")).next(0);
            } else {
                resp.putHeader("content-type", "application/json").end(COMPLETION);
            }
        });
    }

    /**
     * One response's token pacing: token {@code i} is due at {@code start + i * perToken}, so a late
     * timer makes the next token come sooner instead of pushing every later token back.
     */
    private final class Stream {
        private final HttpServerResponse resp;
        private final int tokens;
        private final long perTokenNanos;
        private final boolean usage;
        private final long start = System.nanoTime();

        Stream(HttpServerResponse resp, int tokens, long perTokenMs, boolean usage) {
            this.resp = resp;
            this.tokens = tokens;
            this.perTokenNanos = perTokenMs * 1_000_000L;
            this.usage = usage;
        }

        void next(int i) {
            int token = i;
            while (token < tokens && !resp.closed() && start + token * perTokenNanos <= System.nanoTime()) {
                resp.write(frame("{\"content\":\"word" + token + " \"}", "null"));
                token++;
            }
            if (resp.closed()) {
                return;
            }
            if (token == tokens) {
                finish();
                return;
            }
            int following = token;
            long waitMs = Math.max(1, (start + following * perTokenNanos - System.nanoTime() + 999_999) / 1_000_000);
            vertx.setTimer(waitMs, t -> next(following));
        }

        private void finish() {
            resp.write(frame("{}", "\"stop\""));
            if (usage) {
                resp.write("data: {\"choices\":[],\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\","
                        + "\"usage\":{\"completion_tokens\":" + tokens + ",\"prompt_tokens\":240,\"total_tokens\":"
                        + (tokens + 240) + "}}\n\n");
            }
            resp.end("data: [DONE]\n\n");
        }
    }

    private static String frame(String delta, String finish) {
        return "data: {\"choices\":[{\"content_filter_results\":{},\"delta\":" + delta + ",\"finish_reason\":"
                + finish + ",\"index\":0,\"logprobs\":null}],\"created\":1700000000,\"id\":\"chatcmpl-bench\","
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"object\":\"chat.completion.chunk\",\"usage\":null}\n\n";
    }

    private static int header(HttpServerRequest req, String name, int otherwise) {
        String v = req.getHeader(name);
        try {
            return v == null ? otherwise : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
