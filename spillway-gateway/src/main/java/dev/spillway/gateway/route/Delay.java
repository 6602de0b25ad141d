package dev.spillway.gateway.route;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Waits without blocking: the router's way to sit out a cooldown. Production uses a Vert.x timer on
 * the caller's event loop; tests pass one that advances a fake clock. Thread-safe.
 */
@FunctionalInterface
public interface Delay {
    Future<Void> after(long millis);

    static Delay of(Vertx vertx) {
        return millis -> vertx.timer(Math.max(1, millis)).mapEmpty();
    }
}
