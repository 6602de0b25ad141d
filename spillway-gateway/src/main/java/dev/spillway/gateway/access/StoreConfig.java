package dev.spillway.gateway.access;

import dev.spillway.core.config.ConfigNode;
import java.time.Duration;

/**
 * {@code gateway.store}: where limit counters live. {@code memory} (default) counts in this process;
 * {@code redis} shares them across {@code replicas} gateways, with a short per-call {@code timeout},
 * a breaker that stays open {@code breaker-open-for}, and holds that expire after {@code hold-ttl}.
 * With a shared store and {@code share-learning} (default on), replicas also share what they learn
 * about backends (docs/routing.md). Immutable.
 */
public record StoreConfig(Type type, String redisUrl, Duration timeout, String keyPrefix, int replicas,
        Duration holdTtl, Duration breakerOpenFor, boolean shareLearning) {
    /** Which quota store backs the limits. */
    public enum Type { MEMORY, REDIS }

    public static final StoreConfig DEFAULT = new StoreConfig(Type.MEMORY, "redis://127.0.0.1:6379",
            Duration.ofMillis(100), "spw:", 1, Duration.ofMinutes(15), Duration.ofSeconds(5), true);

    public StoreConfig {
        if (!redisUrl.startsWith("redis://") && !redisUrl.startsWith("rediss://")) {
            throw new IllegalArgumentException("redis-url: must start with redis:// or rediss://, was '" + redisUrl + "'");
        }
        if (timeout.isZero() || timeout.isNegative() || timeout.compareTo(Duration.ofSeconds(5)) > 0) {
            throw new IllegalArgumentException("timeout: must be between 1ms and 5s, was " + timeout);
        }
        if (replicas < 1) throw new IllegalArgumentException("replicas: must be >= 1, was " + replicas);
        if (holdTtl.compareTo(Duration.ofSeconds(10)) < 0) {
            throw new IllegalArgumentException("hold-ttl: must be >= 10s, was " + holdTtl);
        }
        if (breakerOpenFor.isNegative()) throw new IllegalArgumentException("breaker-open-for: must be >= 0");
    }

    static StoreConfig from(ConfigNode n) {
        n.allowOnly("type", "redis-url", "timeout", "key-prefix", "replicas", "hold-ttl", "breaker-open-for",
                "share-learning");
        StoreConfig d = DEFAULT;
        return n.build(() -> new StoreConfig(n.choice("type", Type.class, d.type()), n.string("redis-url", d.redisUrl()),
                n.duration("timeout", d.timeout()), n.string("key-prefix", d.keyPrefix()),
                n.integer("replicas", d.replicas()), n.duration("hold-ttl", d.holdTtl()),
                n.duration("breaker-open-for", d.breakerOpenFor()), n.bool("share-learning", d.shareLearning())));
    }
}
