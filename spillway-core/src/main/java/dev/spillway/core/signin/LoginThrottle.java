package dev.spillway.core.signin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Slows guessing at a sign-in form. After {@value #FREE_FAILURES} failed sign-ins in a row, a
 * name (the chat app's user name, the console's client address) is locked for 2, 4, 8... seconds
 * (at most 15 minutes); a success clears it. Separately, at most {@code concurrentChecks} checks
 * run at once, so a flood of sign-ins cannot eat every core (PBKDF2 in the chat app, token
 * verification in the consoles). Time is injected. Thread-safe; one per server.
 */
public final class LoginThrottle {
    public static final int FREE_FAILURES = 5;
    private static final Duration MAX_LOCK = Duration.ofMinutes(15);
    private static final int MAX_TRACKED = 10_000;

    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();
    private final Semaphore checks;
    private final Clock clock;

    public LoginThrottle(Clock clock, int concurrentChecks) {
        this.clock = clock;
        this.checks = new Semaphore(concurrentChecks);
    }

    private record Failures(int count, Instant lockedUntil) {
    }

    /** How long {@code name} must wait before trying again; empty when a try is allowed now. */
    public Optional<Duration> lockedFor(String name) {
        Failures f = failures.get(name);
        if (f == null) return Optional.empty();
        Duration left = Duration.between(clock.instant(), f.lockedUntil());
        return left.isPositive() ? Optional.of(left) : Optional.empty();
    }

    /** Takes a slot for one check; false when too many are running. Release with {@link #done()}. */
    public boolean tryStartCheck() {
        return checks.tryAcquire();
    }

    public void done() {
        checks.release();
    }

    public void failed(String name) {
        if (failures.size() >= MAX_TRACKED) failures.values().removeIf(f -> !f.lockedUntil().isAfter(clock.instant()));
        if (failures.size() >= MAX_TRACKED && !failures.containsKey(name)) return;
        failures.compute(name, (k, f) -> {
            int count = f == null ? 1 : f.count() + 1;
            return new Failures(count, clock.instant().plus(lock(count)));
        });
    }

    public void succeeded(String name) {
        failures.remove(name);
    }

    static Duration lock(int failures) {
        if (failures < FREE_FAILURES) return Duration.ZERO;
        int doublings = Math.min(failures - FREE_FAILURES + 1, 20);
        Duration d = Duration.ofSeconds(1L << doublings);
        return d.compareTo(MAX_LOCK) > 0 ? MAX_LOCK : d;
    }
}
