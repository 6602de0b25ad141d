package dev.spillway.simulator.limits;

import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.DeploymentKind;
import java.time.InstantSource;
import java.util.Map;

/**
 * Admits or throttles requests to one simulated deployment, the way Azure does for its kind, and
 * reports the matching response headers. Implementations are thread-safe (shared by all event loops)
 * and live as long as the simulator.
 */
public sealed interface DeploymentLimiter permits PayAsYouGoLimiter, ProvisionedLimiter {
    /** Reserves {@code estimatedTokens} if the deployment has room now. */
    Admission admit(long estimatedTokens);

    /** Corrects an admitted reservation to the tokens the request really used. */
    void settle(Admission admission, long actualTokens);

    /** The rate-limit headers for a response that was not admitted through {@link #admit}. */
    Map<String, String> currentHeaders();

    static DeploymentLimiter of(DeploymentConfig deployment, InstantSource clock) {
        return deployment.kind() == DeploymentKind.PTU
                ? new ProvisionedLimiter(deployment.capacityTokensPerSecond(), clock)
                : new PayAsYouGoLimiter(deployment.tokensPerMinute(), deployment.requestsPerMinute(), clock);
    }
}
