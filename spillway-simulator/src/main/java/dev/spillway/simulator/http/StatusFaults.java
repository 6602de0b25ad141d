package dev.spillway.simulator.http;

import dev.spillway.core.error.ErrorEnvelope;
import dev.spillway.core.error.SpillwayException;
import io.vertx.core.buffer.Buffer;

/** Azure-like error bodies for statuses injected with {@code x-sim-status} or a config fault. Stateless. */
final class StatusFaults {
    private StatusFaults() {
    }

    static Buffer body(int status) {
        return Buffer.buffer(switch (status) {
            case 400 -> ErrorEnvelope.of("BadRequest", "Simulated bad request.", "invalid_request_error", null);
            case 401 -> ErrorEnvelope.of("401", SpillwayException.Unauthenticated.AZURE_MESSAGE, "invalid_request_error", null);
            case 404 -> ErrorEnvelope.of("DeploymentNotFound", NOT_FOUND, "invalid_request_error", null);
            case 408 -> ErrorEnvelope.of("Timeout", "The operation was timeout.", "api_error", null);
            case 500 -> ErrorEnvelope.of("InternalServerError",
                    "The server had an error while processing your request. Sorry about that!", "server_error", null);
            case 503 -> ErrorEnvelope.of("ServiceUnavailable",
                    "The service is temporarily unable to process your request. Please try again later.",
                    "server_error", null);
            default -> ErrorEnvelope.of(Integer.toString(status), "Simulated error with status " + status + ".",
                    status >= 500 ? "server_error" : "invalid_request_error", null);
        });
    }

    static final String NOT_FOUND = "The API deployment for this resource does not exist. If you created the "
            + "deployment within the last 5 minutes, please wait a moment and try again.";
}
