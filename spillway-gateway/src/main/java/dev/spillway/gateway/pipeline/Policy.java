package dev.spillway.gateway.pipeline;

import io.vertx.core.Future;

/**
 * One step of the request or attempt tier. A policy either answers itself (a failed future with a
 * {@code SpillwayException}, or a {@link Reply}) or calls {@code chain.proceed(exchange)} exactly
 * once. Runs on the event loop: it must never block. Implementations are shared by all requests.
 */
public interface Policy {
    Future<Reply> apply(Exchange exchange, Chain chain);

    /** The name used in errors and traces; the simple class name by default. */
    default String name() {
        return getClass().getSimpleName();
    }
}
