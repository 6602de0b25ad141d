package dev.spillway.chat.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.spillway.core.error.ErrorEnvelope;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.wire.Json;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Small helpers shared by the chat app's handlers: JSON bodies, the one error mapping (through
 * {@link ErrorEnvelope}) and running blocking work (JDBC, PBKDF2, outbound HTTP) on a virtual thread
 * with the result delivered back on the request's event loop. Stateless.
 */
public final class Responses {
    private static final Logger LOG = LoggerFactory.getLogger(Responses.class);

    private Responses() {
    }

    public static void json(RoutingContext ctx, int status, Object body) {
        try {
            ctx.response().setStatusCode(status).putHeader("content-type", "application/json; charset=utf-8")
                    .putHeader("cache-control", "no-store").end(Json.MAPPER.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes an error; a {@link SpillwayException} keeps its status, anything else is a logged 500. */
    public static void error(RoutingContext ctx, Throwable failure) {
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        if (failure instanceof SpillwayException e) {
            e.headers().forEach(ctx.response()::putHeader);
            send(ctx, e.status(), ErrorEnvelope.of(e));
        } else {
            LOG.error("chat request {} {} failed", ctx.request().method(), ctx.request().path(), failure);
            send(ctx, 500, ErrorEnvelope.of("internal_error", "The chat app failed; see its log.", "api_error", null));
        }
    }

    private static void send(RoutingContext ctx, int status, byte[] body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json; charset=utf-8")
                .putHeader("cache-control", "no-store").end(io.vertx.core.buffer.Buffer.buffer(body));
    }

    /** Runs {@code work} on a new virtual thread; the future completes on the caller's context. */
    public static <T> Future<T> blocking(RoutingContext ctx, Callable<T> work) {
        Context context = ctx.vertx().getOrCreateContext();
        Promise<T> promise = Promise.promise();
        Thread.ofVirtual().name("chat-blocking").start(() -> {
            try {
                T value = work.call();
                context.runOnContext(v -> promise.complete(value));
            } catch (Throwable e) {
                context.runOnContext(v -> promise.fail(e));
            }
        });
        return promise.future();
    }
}
