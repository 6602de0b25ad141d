package dev.spillway.gateway.access.keys;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Creates, lists, rotates and revokes app keys; shared by the {@code spillway keys} command and the
 * admin API. The secret is returned once, at creation or rotation, and never stored. Blocking (it
 * calls the {@link KeyStore}); thread-safe.
 */
public final class KeyService {
    private final KeyStore store;
    private final Clock clock;
    private final RandomGenerator random;

    public KeyService(KeyStore store, Clock clock, RandomGenerator random) {
        this.store = store;
        this.clock = clock;
        this.random = random;
    }

    /** What an operator asks for when creating a key. */
    public record NewKey(String name, String app, Optional<String> team, Optional<String> owner,
            Set<String> deployments, KeyLimits limits, Optional<Duration> expiresIn) {
        public NewKey {
            Objects.requireNonNull(app, "app");
            if (app.isBlank()) throw new IllegalArgumentException("app: is required");
            if (expiresIn.isPresent() && (expiresIn.get().isNegative() || expiresIn.get().isZero())) {
                throw new IllegalArgumentException("expires-in: must be > 0, was " + expiresIn.get());
            }
            name = name == null || name.isBlank() ? app : name;
            deployments = Set.copyOf(deployments);
        }
    }

    /** A key and its secret, shown to the operator exactly once. */
    public record IssuedKey(AppKey key, String secret) {
        @Override
        public String toString() {
            return "IssuedKey[" + key.id() + ", " + key.displayPrefix() + "]";
        }
    }

    public IssuedKey create(NewKey spec) {
        Instant now = clock.instant();
        String secret = ApiKeySecrets.generate(random);
        AppKey key = new AppKey(newId(), ApiKeySecrets.hash(secret), ApiKeySecrets.displayPrefix(secret), spec.name(),
                spec.app(), spec.team(), spec.owner(), spec.deployments(), spec.limits(), now,
                spec.expiresIn().map(now::plus), Optional.empty());
        store.insert(key);
        return new IssuedKey(key, secret);
    }

    public List<AppKey> list() {
        return store.list();
    }

    /**
     * Issues a successor with the same metadata and lets the old key live for {@code overlap} more
     * (or less, if it expires sooner), so clients can switch without an outage.
     */
    public Optional<IssuedKey> rotate(String id, Duration overlap) {
        if (overlap.isNegative()) throw new IllegalArgumentException("overlap: must be >= 0, was " + overlap);
        Instant now = clock.instant();
        return store.findById(id).filter(k -> k.activeAt(now)).map(old -> {
            Instant oldEnds = now.plus(overlap);
            if (old.expiresAt().map(oldEnds::isAfter).orElse(false)) oldEnds = old.expiresAt().get();
            store.update(old.withExpiry(oldEnds));
            Optional<Duration> remaining = old.expiresAt().map(e -> Duration.between(old.createdAt(), e));
            return create(new NewKey(old.name(), old.app(), old.team(), old.owner(), old.deployments(), old.limits(),
                    remaining));
        });
    }

    /** Revokes the key at once; every replica refuses it within the resolver's cache TTL. */
    public Optional<AppKey> revoke(String id) {
        Instant now = clock.instant();
        return store.findById(id).map(k -> {
            AppKey revoked = k.revokedAt().isPresent() ? k : k.revokedAt(now);
            store.update(revoked);
            return revoked;
        });
    }

    private String newId() {
        byte[] bits = new byte[8];
        random.nextBytes(bits);
        return "key_" + HexFormat.of().formatHex(bits);
    }
}
