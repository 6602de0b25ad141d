package dev.spillway.gateway.batch;

import java.util.Set;

/**
 * Which deployments may take queued work now: the scheduler claims lines only for these. The
 * gateway's is {@link PtuHeadroom}; tests use a fixed set. It also reads the PTU's utilization for
 * the lane's metrics. Thread-safe.
 */
public interface Headroom {
    Set<String> deploymentsWithRoom(long nowMillis);

    /** How busy the PTU tiers are now, 0 to 100 percent (the busiest); 0 when unknown. */
    double ptuUtilizationPercent(long nowMillis);
}
