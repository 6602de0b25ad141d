package dev.spillway.simulator.http;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Answers one operation for one deployment once routing, auth, faults-before-headers and latency
 * overrides are settled; it validates the body, asks {@link SimExchange#admit} and writes the answer.
 * Implementations are thread-safe and live as long as the simulator.
 */
public interface OperationHandler {
    void handle(SimExchange exchange, JsonNode body);
}
