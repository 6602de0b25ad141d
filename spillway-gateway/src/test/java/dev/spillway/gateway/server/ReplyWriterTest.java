package dev.spillway.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.pipeline.Completion;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.FrontDoor;
import dev.spillway.gateway.pipeline.Reply;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * "Acknowledged means recorded" (issue 10 item 5): the reply's last byte waits for the records a
 * completion listener holds it for, like a group commit that has not been fsync'd yet. A real
 * server on port 0; the record's durability is a future the test completes by hand.
 */
class ReplyWriterTest {
    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http = HttpClient.newHttpClient();
    /** The ledger's group commit, not yet fsync'd until the test says so. */
    private final CompletableFuture<Void> fsynced = new CompletableFuture<>();
    /** What the listener saw of the response when it recorded the request. */
    private final CompletableFuture<Seen> recordedWhile = new CompletableFuture<>();

    private record Seen(boolean ended, long bodyBytesWritten) {}

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    @Test
    void plainReplyIsNotSentUntilItsRecordIsDurable() throws Exception {
        CompletableFuture<HttpResponse<String>> client = send(() -> full("{\"answer\":42}"));
        Seen seen = recordedWhile.get(10, TimeUnit.SECONDS);

        assertThat(seen.ended()).as("the reply ended before its record was durable").isFalse();
        assertThat(seen.bodyBytesWritten()).isZero();
        assertThat(client).isNotDone();
        fsynced.complete(null);
        HttpResponse<String> response = client.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"answer\":42}");
        assertThat(response.headers().firstValue("x-spillway-request-id")).contains("req-1");
    }

    @Test
    void plainReplyWhoseRecordCannotBeStoredBecomesAnErrorNotASuccess() throws Exception {
        CompletableFuture<HttpResponse<String>> client = send(() -> full("{\"answer\":42}"));
        recordedWhile.get(10, TimeUnit.SECONDS);
        fsynced.completeExceptionally(new IllegalStateException("usage spool is full"));

        HttpResponse<String> response = client.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("could not record request req-1 durably").doesNotContain("answer");
    }

    @Test
    void streamRelaysItsFramesButHoldsDoneUntilTheRecordIsDurable() throws Exception {
        String first = "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n";
        CompletableFuture<HttpResponse<String>> client = send(() -> streamed(first, "data: [DONE]\n\n"));
        Seen seen = recordedWhile.get(10, TimeUnit.SECONDS);

        assertThat(seen.ended()).isFalse();
        assertThat(seen.bodyBytesWritten()).as("only the frames before [DONE] went out").isEqualTo(first.length());
        fsynced.complete(null);
        HttpResponse<String> response = client.get(10, TimeUnit.SECONDS);
        assertThat(response.body()).isEqualTo(first + "data: [DONE]\n\n");
    }

    @Test
    void streamWhoseRecordCannotBeStoredEndsWithAnErrorEventAndNoDone() throws Exception {
        String first = "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n";
        CompletableFuture<HttpResponse<String>> client = send(() -> streamed(first, "data: [DONE]\n\n"));
        recordedWhile.get(10, TimeUnit.SECONDS);
        fsynced.completeExceptionally(new IllegalStateException("usage spool is full"));

        String body = client.get(10, TimeUnit.SECONDS).body();
        assertThat(body).startsWith(first).contains("\"error\"").doesNotContain("[DONE]");
    }

    private CompletableFuture<HttpResponse<String>> send(Supplier<Reply> reply) throws Exception {
        HttpServer server = vertx.createHttpServer().requestHandler(request -> {
            Exchange exchange = new Exchange("req-1", Instant.EPOCH, System.nanoTime(), "POST", request.path(),
                    request.headers(), FrontDoor.OPENAI, Operation.CHAT_COMPLETIONS, "gpt-4o", Optional.empty(),
                    Buffer.buffer(), Lifecycle.COMPLETION_ORDER);
            HttpServerResponse response = request.response();
            exchange.onComplete(Completion.RECORD_USAGE, outcome -> {
                exchange.holdEndUntil(fsynced);
                recordedWhile.complete(new Seen(response.ended(), response.bytesWritten()));
            });
            new ReplyWriter(exchange, response).write(reply.get());
        }).listen(0, "127.0.0.1").await();
        URI uri = URI.create("http://127.0.0.1:" + server.actualPort() + "/v1/chat/completions");
        return http.sendAsync(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Reply full(String json) {
        return Reply.json(200, Buffer.buffer(json));
    }

    private static Reply streamed(String... frames) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-type", "text/event-stream");
        return new Reply(200, headers, new Reply.Body.Streamed(new Frames(List.of(frames)), () -> { }));
    }

    /** A backend stream that hands over its frames, one chunk each, then ends, once resumed. */
    private static final class Frames implements ReadStream<Buffer> {
        private final List<String> frames;
        private Handler<Buffer> handler;
        private Handler<Void> end;

        Frames(List<String> frames) {
            this.frames = frames;
        }

        @Override public ReadStream<Buffer> handler(Handler<Buffer> h) { handler = h; return this; }
        @Override public ReadStream<Buffer> endHandler(Handler<Void> h) { end = h; return this; }
        @Override public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) { return this; }
        @Override public ReadStream<Buffer> pause() { return this; }
        @Override public ReadStream<Buffer> fetch(long amount) { return this; }

        @Override
        public ReadStream<Buffer> resume() {
            for (String f : frames) handler.handle(Buffer.buffer(f));
            end.handle(null);
            return this;
        }
    }
}
