package dev.spillway.gateway.pipeline;

import io.vertx.core.Future;

/** The rest of the pipeline after the current policy. One per policy call; call proceed once. */
public interface Chain {
    Future<Reply> proceed(Exchange exchange);
}
