package dev.spillway.gateway.batch;

import java.util.Set;

/**
 * Which deployments may take queued work now: the scheduler claims lines only for these. The
 * gateway's is {@link PtuHeadroom}; tests use a fixed set. Thread-safe.
 */
@FunctionalInterface
public interface Headroom {
    Set<String> deploymentsWithRoom(long nowMillis);
}
