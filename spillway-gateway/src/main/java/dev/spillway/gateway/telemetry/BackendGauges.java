package dev.spillway.gateway.telemetry;

import dev.spillway.gateway.route.pool.BackendStates;
import java.util.List;

/**
 * Copies the routing layer's backend snapshots (breaker state, Azure utilization, remaining
 * tokens and requests) into a {@link BackendStateListener}, run before each metrics scrape.
 * Stateless.
 */
public final class BackendGauges {
    private BackendGauges() {
    }

    public static void copy(List<BackendStates.BackendSnapshot> snapshots, BackendStateListener listener) {
        for (BackendStates.BackendSnapshot s : snapshots) {
            listener.breakerState(s.name(), breaker(s.breakerState()));
            s.utilizationPercent().ifPresent(u -> listener.utilization(s.name(), u / 100));
            s.remainingTokens().ifPresent(t -> listener.remainingQuota(s.name(), "backend-tokens", t));
            s.remainingRequests().ifPresent(r -> listener.remainingQuota(s.name(), "backend-requests", r));
        }
    }

    /** Resilience4j's state names, kebab-cased by the snapshot; disabled and metrics-only let traffic pass. */
    static BackendStateListener.BreakerState breaker(String state) {
        return switch (state) {
            case "open", "forced-open" -> BackendStateListener.BreakerState.OPEN;
            case "half-open" -> BackendStateListener.BreakerState.HALF_OPEN;
            default -> BackendStateListener.BreakerState.CLOSED;
        };
    }
}
