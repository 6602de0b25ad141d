package dev.spillway.simulator.azure;

import java.time.Duration;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulator's Entra: issues opaque bearer tokens for an audience and recognizes them later, so
 * a deployment or the vault can check that a caller holds a live token for it. Thread-safe.
 */
public final class TokenIssuer {
    /** An issued token's audience (a resource URI without a trailing slash) and expiry in epoch ms. */
    public record Issued(String audience, long expiresAt) {
    }

    private final Map<String, Issued> issued = new ConcurrentHashMap<>();
    private final InstantSource clock;
    private final Duration lifetime;
    private final SplittableRandom random;

    public TokenIssuer(InstantSource clock, Duration lifetime, long seed) {
        this.clock = clock;
        this.lifetime = lifetime;
        this.random = new SplittableRandom(seed);
    }

    /** A new token for {@code audience}. */
    public String issue(String audience) {
        byte[] bytes = new byte[24];
        synchronized (random) {
            random.nextBytes(bytes);
        }
        String token = "sim-entra-" + HexFormat.of().formatHex(bytes);
        issued.put(token, new Issued(normalize(audience), clock.millis() + lifetime.toMillis()));
        return token;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** Whether {@code token} was issued for {@code audience} and has not expired. */
    public boolean valid(String token, String audience) {
        Issued t = token == null ? null : issued.get(token);
        return t != null && t.audience().equals(normalize(audience)) && clock.millis() < t.expiresAt();
    }

    /** The token's record, expired or not. */
    public Optional<Issued> find(String token) {
        return Optional.ofNullable(token == null ? null : issued.get(token));
    }

    /** {@code https://x/} and {@code https://x/.default} (a v2 scope) name the same audience as {@code https://x}. */
    static String normalize(String resource) {
        String r = resource.endsWith("/.default") ? resource.substring(0, resource.length() - 9) : resource;
        return r.endsWith("/") ? r.substring(0, r.length() - 1) : r;
    }
}
