package dev.spillway.gateway.access;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Brings a store's {@link CompletionStage} back onto the caller's Vert.x context, unwrapping the
 * {@link CompletionException} that dependent stages add, so policies see the real cause. Stateless.
 */
final class Async {
    private Async() {
    }

    static <T> Future<T> onContext(CompletionStage<T> stage) {
        Context context = Vertx.currentContext();
        Future<T> future = context == null ? Future.fromCompletionStage(stage) : Future.fromCompletionStage(stage, context);
        return future.recover(e -> Future.failedFuture(
                e instanceof CompletionException && e.getCause() != null ? e.getCause() : e));
    }
}
