package dev.spillway.gateway.signin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows guessing of the console's keys, per client address (the chat app's rule): after
 * {@value #FREE_FAILURES} failed sign-ins in a row an address waits 2, 4, 8... seconds (at most
 * 15 minutes) before the next try; a success clears it. Behind a proxy every client shares the
 * proxy's address, so the lock is felt by all: the keys are long and random, this only stops a
 * loop. Time is injected. Thread-safe; one per gateway.
 */
public final class SignInThrottle {
    static final int FREE_FAILURES = 5;
    private static final Duration MAX_LOCK = Duration.ofMinutes(15);
    private static final int MAX_TRACKED = 10_000;

    private record Failures(int count, Instant lockedUntil) {
    }

    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock;

    public SignInThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long {@code address} must wait before trying again; empty when a try is allowed now. */
    public Optional<Duration> lockedFor(String address) {
        Failures f = failures.get(address);
        if (f == null) return Optional.empty();
        Duration left = Duration.between(clock.instant(), f.lockedUntil());
        return left.isPositive() ? Optional.of(left) : Optional.empty();
    }

    public void failed(String address) {
        if (failures.size() >= MAX_TRACKED) failures.values().removeIf(f -> !f.lockedUntil().isAfter(clock.instant()));
        if (failures.size() >= MAX_TRACKED && !failures.containsKey(address)) return;
        failures.compute(address, (k, f) -> {
            int count = f == null ? 1 : f.count() + 1;
            return new Failures(count, clock.instant().plus(lock(count)));
        });
    }

    public void succeeded(String address) {
        failures.remove(address);
    }

    static Duration lock(int failures) {
        if (failures < FREE_FAILURES) return Duration.ZERO;
        Duration d = Duration.ofSeconds(1L << Math.min(failures - FREE_FAILURES + 1, 20));
        return d.compareTo(MAX_LOCK) > 0 ? MAX_LOCK : d;
    }
}
