package dev.spillway.gateway.access;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletionStage;

/** Brings a store's {@link CompletionStage} back onto the caller's Vert.x context. Stateless. */
final class Async {
    private Async() {
    }

    static <T> Future<T> onContext(CompletionStage<T> stage) {
        Context context = Vertx.currentContext();
        return context == null ? Future.fromCompletionStage(stage) : Future.fromCompletionStage(stage, context);
    }
}
