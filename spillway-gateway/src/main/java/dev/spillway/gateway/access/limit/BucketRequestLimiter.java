package dev.spillway.gateway.access.limit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The embedded {@link RequestLimiter}: one Bucket4j token bucket per counter (capacity = the limit,
 * refilled greedily over the window), kept in a Caffeine map that forgets idle subjects. A limit
 * changed by a config reload resizes its bucket and keeps what was used (Bucket4j's additive
 * inheritance), so a reload never hands out a fresh minute. A request
 * is admitted only if every bucket has a token; tokens taken before a refusal are given back.
 * Thread-safe (Bucket4j buckets are lock-free); time comes from the injected clock.
 */
public final class BucketRequestLimiter implements RequestLimiter {
    // Maintenance (expiry, eviction) runs on the calling thread: Caffeine's default, the common
    // pool, woke a thread about once every ten requests (a context switch each way on one core).
    private final Cache<String, Sized> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10)).maximumSize(200_000).executor(Runnable::run).build();
    private final TimeMeter time;

    public BucketRequestLimiter(Clock clock) {
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                java.time.Instant now = clock.instant();
                return now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }

    @Override
    public CompletionStage<Admission> acquire(String requestId, List<Limit> limits) {
        List<Bucket> taken = new ArrayList<>(limits.size());
        Map<Metric, Admission.Headroom> remaining = new EnumMap<>(Metric.class);
        for (Limit limit : limits) {
            Bucket bucket = bucket(limit);
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                taken.forEach(b -> b.addTokens(1));
                Duration wait = Duration.ofNanos(Math.max(1_000_000, probe.getNanosToWaitForRefill()));
                return CompletableFuture.completedFuture(new Admission.Denied(limit, 0, wait));
            }
            taken.add(bucket);
            Admission.Headroom.keepTighter(remaining, limit, probe.getRemainingTokens());
        }
        Reservation none = new Reservation(requestId, "bucket", List.of(), java.time.Instant.EPOCH);
        return CompletableFuture.completedFuture(new Admission.Granted(none, remaining));
    }

    /** A bucket and the capacity it was built with. */
    private record Sized(Bucket bucket, long capacity) {
    }

    private Bucket bucket(Limit limit) {
        Sized held = buckets.get(limit.counterName(), name -> new Sized(newBucket(limit), limit.capacity()));
        if (held.capacity() == limit.capacity()) return held.bucket();
        held.bucket().replaceConfiguration(configuration(limit), TokensInheritanceStrategy.ADDITIVE);
        buckets.put(limit.counterName(), new Sized(held.bucket(), limit.capacity()));
        return held.bucket();
    }

    private Bucket newBucket(Limit limit) {
        return Bucket.builder()
                .addLimit(bandwidth(limit))
                .withCustomTimePrecision(time)
                .build();
    }

    private static BucketConfiguration configuration(Limit limit) {
        return BucketConfiguration.builder().addLimit(bandwidth(limit)).build();
    }

    private static Bandwidth bandwidth(Limit limit) {
        Duration period = switch (limit.window()) {
            case MINUTE -> Duration.ofMinutes(1);
            case DAY -> Duration.ofDays(1);
            case MONTH -> Duration.ofDays(30);
        };
        return Bandwidth.builder().capacity(limit.capacity()).refillGreedy(limit.capacity(), period).build();
    }
}
