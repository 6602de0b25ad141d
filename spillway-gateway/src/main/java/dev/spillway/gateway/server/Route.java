package dev.spillway.gateway.server;

import dev.spillway.gateway.pipeline.FrontDoor;
import dev.spillway.core.wire.Operation;

/** What a request path resolved to: a model API call, or one of the gateway's own endpoints. */
sealed interface Route {
    /** A model API call through a front door; {@code deployment} is empty when the body names it. */
    record Api(FrontDoor door, Operation operation, String deployment) implements Route {
    }

    /** Liveness, readiness or Azure-style status probe. */
    record Health(String kind) implements Route {
    }
}
