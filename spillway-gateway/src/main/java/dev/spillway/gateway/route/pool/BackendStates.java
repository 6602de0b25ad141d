package dev.spillway.gateway.route.pool;

import dev.spillway.gateway.config.BackendConfig;
import dev.spillway.gateway.config.RoutingConfig;
import dev.spillway.gateway.route.breaker.Breakers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The live state of every configured backend, by name, and the read-only {@link #snapshot} that the
 * admin endpoint and metrics use. One for the gateway's life: a config reload {@link #reconcile}s
 * it, swapping in the whole map at once (readers see the old or the new set, never a mix); the
 * states inside are thread-safe.
 */
public final class BackendStates {
    private volatile Map<String, BackendState> states = Map.of();
    private final Clock clock;

    public BackendStates(List<BackendConfig> backends, RoutingConfig routing, Clock clock) {
        this.clock = clock;
        reconcile(backends, routing);
    }

    /**
     * Replaces the set with one state per backend of a reloaded config: a backend that was
     * already known gets a new state (its config may have changed) that {@link BackendState#inherit}s
     * what the old one learned; a new one starts fresh; a removed one is forgotten. Returns the
     * states that were replaced or removed (attempts in flight may still use them).
     */
    public synchronized List<BackendState> reconcile(List<BackendConfig> backends, RoutingConfig routing) {
        Map<String, BackendState> before = states;
        Map<String, BackendState> next = new LinkedHashMap<>();
        for (BackendConfig b : backends) {
            BackendState s = new BackendState(b, Breakers.create(b.name(), routing.breaker(), clock), routing, clock);
            BackendState old = before.get(b.name());
            if (old != null) s.inherit(old);
            next.put(b.name(), s);
        }
        states = java.util.Collections.unmodifiableMap(next);
        return List.copyOf(before.values());
    }

    public BackendState get(String name) {
        BackendState s = states.get(name);
        if (s == null) throw new IllegalArgumentException("no backend named " + name);
        return s;
    }

    public List<BackendState> all() {
        return List.copyOf(states.values());
    }

    /** One backend's state at one moment, for operators and metrics. Immutable. */
    public record BackendSnapshot(String name, String region, boolean healthy, Optional<Instant> coolingUntil,
                                  String breakerState, OptionalLong remainingTokens, OptionalLong remainingRequests,
                                  OptionalDouble utilizationPercent, Duration latencyAverage, long inFlight,
                                  long sent, long throttled, boolean drained) {
    }

    public List<BackendSnapshot> snapshot() {
        long now = clock.millis();
        Map<String, BackendState> current = states;
        List<BackendSnapshot> out = new ArrayList<>(current.size());
        for (BackendState s : current.values()) out.add(snapshotOf(s, now));
        return out;
    }

    private static BackendSnapshot snapshotOf(BackendState s, long now) {
        long tokens = s.remainingTokens();
        long requests = s.remainingRequests();
        return new BackendSnapshot(s.name(), s.config().region(), s.healthy(),
                s.cooling(now) ? Optional.of(Instant.ofEpochMilli(s.coolingUntil())) : Optional.empty(),
                s.breaker().getState().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                tokens == BackendState.UNKNOWN ? OptionalLong.empty() : OptionalLong.of(tokens),
                requests == BackendState.UNKNOWN ? OptionalLong.empty() : OptionalLong.of(requests),
                s.utilization() >= 0 ? OptionalDouble.of(s.utilization()) : OptionalDouble.empty(),
                Duration.ofNanos(s.latencyMicros() * 1000), s.inFlight(), s.sent(), s.throttledCount(), s.drained());
    }
}
