package dev.spillway.core.signin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * OIDC logins started but not finished: state, nonce and PKCE verifier, each usable once and for
 * ten minutes. Bounded, so a flood of started logins cannot exhaust memory. Thread-safe.
 */
final class PendingLogins {
    private static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final int MAX_PENDING = 10_000;

    private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();
    private final Clock clock;
    private final RandomGenerator random;

    PendingLogins(Clock clock, RandomGenerator random) {
        this.clock = clock;
        this.random = random;
    }

    record Pending(String state, String nonce, String verifier, Instant expiresAt) {
    }

    Pending create() {
        Instant now = clock.instant();
        if (pending.size() >= MAX_PENDING) pending.values().removeIf(p -> !now.isBefore(p.expiresAt()));
        if (pending.size() >= MAX_PENDING) throw new OidcClient.OidcException("Too many sign-ins in progress; try again shortly.");
        Pending p = new Pending(token(), token(), token(), now.plus(LIFETIME));
        pending.put(p.state(), p);
        return p;
    }

    Optional<Pending> take(String state) {
        Pending p = pending.remove(state);
        if (p == null || !clock.instant().isBefore(p.expiresAt())) return Optional.empty();
        return Optional.of(p);
    }

    /** A URL-safe random 256-bit token (also a valid PKCE verifier: 43 unreserved characters). */
    private String token() {
        byte[] bytes = new byte[32];
        synchronized (random) {
            random.nextBytes(bytes);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
