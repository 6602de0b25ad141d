package dev.spillway.gateway.route;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.wire.BodyBuffers;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Pipeline;
import dev.spillway.gateway.pipeline.Reply;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Attempt tier terminal: sends the upstream request on the backend's pooled keep-alive client.
 * The first-byte timeout covers connecting, sending and waiting for the response headers; after
 * them the idle timeout applies between chunks. A successful stream is handed on unread, so its
 * first byte reaches the client as soon as the backend sends it; any other body is read whole,
 * up to {@link #MAX_BUFFERED_BODY}. Stateless; shared.
 */
public final class BackendCall implements Pipeline.Terminal {
    /** A non-streamed backend answer larger than this is refused as a bad gateway. */
    static final int MAX_BUFFERED_BODY = 64 * 1024 * 1024;

    private final Backends backends;

    public BackendCall(Backends backends) {
        this.backends = backends;
    }

    @Override
    public Future<Reply> handle(Exchange exchange) {
        Upstream up = exchange.upstream();
        var b = up.backend();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHeaders(up.headers())
                // Vert.x counts the wait for a pooled connection against the request's connect
                // timeout; that wait is ours, not the backend's fault, so it shares the first-byte
                // budget. The TCP connect itself is bounded by the client's own connect timeout.
                .setConnectTimeout(up.firstByteTimeout().toMillis())
                .setIdleTimeout(up.firstByteTimeout().toMillis());
        backends.target(b.name(), options, up.uri());
        return backends.client(b.name())
                .request(options)
                .compose(request -> request.send(up.body())
                        .compose(response -> reply(exchange, request, response)))
                .recover(e -> Future.failedFuture(translate(b.name(), e)));
    }

    private Future<Reply> reply(Exchange exchange, HttpClientRequest request, HttpClientResponse response) {
        request.idleTimeout(exchange.upstream().backend().idleTimeout().toMillis());
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        Headers.copyResponse(response.headers(), headers);
        String type = response.getHeader("content-type");
        if (response.statusCode() == 200 && type != null && type.startsWith("text/event-stream")) {
            response.pause();
            long idle = exchange.upstream().backend().idleTimeout().toMillis();
            IdleWatch watched = new IdleWatch(backends.vertx(), response, idle, request::reset, System::nanoTime);
            return Future.succeededFuture(new Reply(200, headers,
                    new Reply.Body.Streamed(watched, () -> request.reset())));
        }
        return readBounded(response).map(body -> new Reply(response.statusCode(), headers, new Reply.Body.Full(body)));
    }

    private static Future<Buffer> readBounded(HttpClientResponse response) {
        Promise<Buffer> promise = Promise.promise();
        Buffer body = BodyBuffers.sizedFor(BodyBuffers.declaredLength(response.getHeader("content-length")));
        response.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_BUFFERED_BODY) {
                response.request().reset();
                promise.tryFail(new SpillwayException.BadGateway("The backend's response exceeded "
                        + MAX_BUFFERED_BODY + " bytes."));
                return;
            }
            body.appendBuffer(chunk);
        });
        response.exceptionHandler(promise::tryFail);
        response.endHandler(v -> promise.tryComplete(body));
        return promise.future();
    }

    /**
     * The error event of a stream that failed after its first byte reached the client: it says the
     * stream broke (the backend was reached), and that the response is incomplete.
     */
    public static SpillwayException brokenStream(String backend, Throwable e) {
        SpillwayException cause = translate(backend, e);
        String detail = e instanceof SpillwayException ? cause.getMessage() : String.valueOf(e.getMessage());
        String message = "The stream from backend '" + backend + "' broke after it started (" + detail
                + "); the response is incomplete.";
        return cause instanceof SpillwayException.GatewayTimeout ? new SpillwayException.GatewayTimeout(message)
                : new SpillwayException.BadGateway(message);
    }

    /** Maps transport failures to the gateway's errors: timeouts are 504, everything else 502. */
    public static SpillwayException translate(String backend, Throwable e) {
        if (e instanceof SpillwayException s) return s;
        String message = String.valueOf(e.getMessage());
        if (e instanceof java.util.concurrent.TimeoutException || message.contains("timeout") || message.contains("timed out")) {
            return new SpillwayException.GatewayTimeout("Backend '" + backend + "' did not answer in time.");
        }
        return new SpillwayException.BadGateway("Backend '" + backend + "' could not be reached: " + message);
    }
}
