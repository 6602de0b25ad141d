package dev.spillway.gateway.config;

import dev.spillway.core.config.ConfigNode;
import java.time.Duration;

/**
 * The {@code gateway.routing} section: how hard the router tries (attempts, deadline, retry budget),
 * how it spills over before a backend throttles, and when a backend's circuit breaker opens.
 * Every key has a default. Immutable.
 */
public record RoutingConfig(int maxAttempts, Duration deadline, Duration maxCooldownWait,
                            RetryBudget retryBudget, Spillover spillover, Breaker breaker) {
    public static final RoutingConfig DEFAULT = new RoutingConfig(5, Duration.ofSeconds(120), Duration.ofSeconds(10),
            RetryBudget.DEFAULT, Spillover.DEFAULT, Breaker.DEFAULT);

    /** Retries onto a backend stay below {@code ratio} of its requests over {@code window}, plus {@code min-retries}. */
    public record RetryBudget(double ratio, int minRetries, Duration window) {
        public static final RetryBudget DEFAULT = new RetryBudget(0.2, 10, Duration.ofSeconds(10));

        public RetryBudget {
            if (ratio < 0 || ratio > 1) throw new IllegalArgumentException("ratio: must be 0-1, was " + ratio);
            if (minRetries < 0) throw new IllegalArgumentException("min-retries: must be >= 0, was " + minRetries);
            if (window.toMillis() < 100) throw new IllegalArgumentException("window: must be >= 100ms, was " + window);
        }

        static RetryBudget from(ConfigNode n) {
            n.allowOnly("ratio", "min-retries", "window");
            return n.build(() -> new RetryBudget(n.decimal("ratio", DEFAULT.ratio),
                    n.integer("min-retries", DEFAULT.minRetries), n.duration("window", DEFAULT.window)));
        }
    }

    /**
     * Proactive spillover: skip a backend whose last {@code x-ratelimit-remaining-*} headers say the
     * next request will not fit (trusted for {@code observation-ttl}), or whose PTU utilization,
     * drained at {@code ptu-drain-per-second} percent since it was read, is at {@code utilization-limit}
     * percent. A 429 cools a backend for its Retry-After, at most {@code max-cooldown},
     * {@code default-cooldown} when it gave none.
     */
    public record Spillover(boolean proactive, double utilizationLimit, Duration observationTtl,
                            int defaultCompletionTokens, Duration defaultCooldown, Duration maxCooldown,
                            double ptuDrainPerSecond) {
        public static final Spillover DEFAULT = new Spillover(true, 95.0, Duration.ofSeconds(10), 16,
                Duration.ofSeconds(1), Duration.ofSeconds(60), 100.0 / 60);

        public Spillover {
            if (utilizationLimit <= 0 || utilizationLimit > 200) {
                throw new IllegalArgumentException("utilization-limit: must be a percentage in (0, 200], was " + utilizationLimit);
            }
            if (observationTtl.isNegative() || observationTtl.isZero()) throw new IllegalArgumentException("observation-ttl: must be > 0");
            if (defaultCompletionTokens < 0) throw new IllegalArgumentException("default-completion-tokens: must be >= 0");
            if (defaultCooldown.isNegative() || defaultCooldown.isZero()) throw new IllegalArgumentException("default-cooldown: must be > 0");
            if (maxCooldown.compareTo(defaultCooldown) < 0) throw new IllegalArgumentException("max-cooldown: must be >= default-cooldown");
            if (ptuDrainPerSecond < 0) throw new IllegalArgumentException("ptu-drain-per-second: must be >= 0, was " + ptuDrainPerSecond);
        }

        static Spillover from(ConfigNode n) {
            n.allowOnly("proactive", "utilization-limit", "observation-ttl", "default-completion-tokens",
                    "default-cooldown", "max-cooldown", "ptu-drain-per-second");
            return n.build(() -> new Spillover(n.bool("proactive", DEFAULT.proactive),
                    n.decimal("utilization-limit", DEFAULT.utilizationLimit),
                    n.duration("observation-ttl", DEFAULT.observationTtl),
                    n.integer("default-completion-tokens", DEFAULT.defaultCompletionTokens),
                    n.duration("default-cooldown", DEFAULT.defaultCooldown),
                    n.duration("max-cooldown", DEFAULT.maxCooldown),
                    n.decimal("ptu-drain-per-second", DEFAULT.ptuDrainPerSecond)));
        }
    }

    /**
     * A circuit breaker per backend over the last {@code window} calls (at least {@code minimum-calls}):
     * opens when failures or slow calls reach their rate (percent), stays open for {@code open-for},
     * then lets {@code half-open-calls} probes through.
     */
    public record Breaker(float failureRate, float slowCallRate, Duration slowCall, int window, int minimumCalls,
                          Duration openFor, int halfOpenCalls) {
        public static final Breaker DEFAULT = new Breaker(50f, 80f, Duration.ofSeconds(30), 20, 10,
                Duration.ofSeconds(10), 3);

        public Breaker {
            if (failureRate <= 0 || failureRate > 100) throw new IllegalArgumentException("failure-rate: must be in (0, 100], was " + failureRate);
            if (slowCallRate <= 0 || slowCallRate > 100) throw new IllegalArgumentException("slow-call-rate: must be in (0, 100], was " + slowCallRate);
            if (slowCall.isNegative() || slowCall.isZero()) throw new IllegalArgumentException("slow-call: must be > 0");
            if (window < 1) throw new IllegalArgumentException("window: must be >= 1, was " + window);
            if (minimumCalls < 1) throw new IllegalArgumentException("minimum-calls: must be >= 1, was " + minimumCalls);
            if (openFor.isNegative() || openFor.isZero()) throw new IllegalArgumentException("open-for: must be > 0");
            if (halfOpenCalls < 1) throw new IllegalArgumentException("half-open-calls: must be >= 1, was " + halfOpenCalls);
        }

        static Breaker from(ConfigNode n) {
            n.allowOnly("failure-rate", "slow-call-rate", "slow-call", "window", "minimum-calls", "open-for", "half-open-calls");
            return n.build(() -> new Breaker((float) n.decimal("failure-rate", DEFAULT.failureRate),
                    (float) n.decimal("slow-call-rate", DEFAULT.slowCallRate), n.duration("slow-call", DEFAULT.slowCall),
                    n.integer("window", DEFAULT.window), n.integer("minimum-calls", DEFAULT.minimumCalls),
                    n.duration("open-for", DEFAULT.openFor), n.integer("half-open-calls", DEFAULT.halfOpenCalls)));
        }
    }

    public RoutingConfig {
        if (maxAttempts < 1 || maxAttempts > 20) throw new IllegalArgumentException("max-attempts: must be 1-20, was " + maxAttempts);
        if (deadline.isNegative() || deadline.isZero()) throw new IllegalArgumentException("deadline: must be > 0");
        if (maxCooldownWait.isNegative()) throw new IllegalArgumentException("max-cooldown-wait: must be >= 0");
    }

    public static RoutingConfig from(ConfigNode n) {
        if (!n.isPresent()) return DEFAULT;
        n.allowOnly("max-attempts", "deadline", "max-cooldown-wait", "retry-budget", "spillover", "breaker");
        RetryBudget budget = n.has("retry-budget") ? n.object("retry-budget", RetryBudget::from) : RetryBudget.DEFAULT;
        Spillover spill = n.has("spillover") ? n.object("spillover", Spillover::from) : Spillover.DEFAULT;
        Breaker breaker = n.has("breaker") ? n.object("breaker", Breaker::from) : Breaker.DEFAULT;
        return n.build(() -> new RoutingConfig(n.integer("max-attempts", DEFAULT.maxAttempts),
                n.duration("deadline", DEFAULT.deadline), n.duration("max-cooldown-wait", DEFAULT.maxCooldownWait),
                orDefault(budget, RetryBudget.DEFAULT), orDefault(spill, Spillover.DEFAULT), orDefault(breaker, Breaker.DEFAULT)));
    }

    /** A section that failed to build has reported its problem; the default stands in so reading goes on. */
    private static <T> T orDefault(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
