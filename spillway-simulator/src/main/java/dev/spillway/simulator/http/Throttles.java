package dev.spillway.simulator.http;

import dev.spillway.core.wire.Operation;
import dev.spillway.core.error.SpillwayException;
import java.time.Duration;

/** Azure's 429 messages, word for word where known (azure-api.md 1.8). Stateless. */
final class Throttles {
    private Throttles() {
    }

    /** A 429 for {@code limit} ({@code token}, {@code call} or PTU {@code capacity}). */
    static SpillwayException.RateLimited of(Operation op, String apiVersion, String limit, Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        String exceeded = limit.equals("capacity")
                ? "have exceeded the provisioned throughput of this deployment"
                : "have exceeded " + limit + " rate limit of your current OpenAI S0 pricing tier";
        String message = "Requests to the " + op.azureName() + " Operation under Azure OpenAI API version "
                + apiVersion + " " + exceeded + ". Please retry after " + seconds + " second"
                + (seconds == 1 ? "" : "s") + ". Please go here: https://aka.ms/oai/quotaincrease if you would like "
                + "to further increase the default rate limit.";
        return new SpillwayException.RateLimited(message, retryAfter);
    }
}
