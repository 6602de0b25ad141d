package dev.spillway.gateway.telemetry;

/**
 * What the routing and quota code reports about state that changes between requests, for the
 * gauges on {@code /metrics}. Implementations must be cheap and thread-safe (called from event
 * loops); {@link GatewayMetrics} is the real one.
 */
public interface BackendStateListener {
    /** The circuit-breaker states a backend can be in. */
    enum BreakerState { CLOSED, OPEN, HALF_OPEN }

    /** Utilization as a fraction, e.g. Azure's {@code azure-openai-deployment-utilization} / 100. */
    void utilization(String backend, double fraction);

    void breakerState(String backend, BreakerState state);

    /** Remaining quota for a scope (an app or key name) of a kind: {@code tokens}, {@code requests}, {@code budget-usd}. */
    void remainingQuota(String scope, String kind, double remaining);
}
