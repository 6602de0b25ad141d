package dev.spillway.gateway.access.limit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the fail policy of DESIGN 4.5 around a remote {@link QuotaStore}: every call has a short
 * timeout and goes through a circuit breaker, and while the store is unreachable each limit does
 * what its {@link FailMode} says: count in a local store at {@code capacity / replicas}, refuse
 * ({@link QuotaStoreUnavailable}), or pass uncounted. Thread-safe; wraps the store for its lifetime.
 */
public final class FailoverQuotaStore implements QuotaStore {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverQuotaStore.class);
    private static final String FALLBACK = "fallback";

    private final QuotaStore primary;
    private final InMemoryQuotaStore fallback;
    private final CircuitBreaker breaker;
    private final long timeoutMillis;
    private final int replicas;

    public FailoverQuotaStore(QuotaStore primary, Clock clock, Duration holdTtl, Duration timeout, int replicas,
            Duration openFor) {
        if (replicas < 1) throw new IllegalArgumentException("replicas: must be >= 1, was " + replicas);
        this.primary = primary;
        this.fallback = new InMemoryQuotaStore(clock, holdTtl, FALLBACK);
        this.timeoutMillis = timeout.toMillis();
        this.replicas = replicas;
        this.breaker = CircuitBreaker.of("quota-store", CircuitBreakerConfig.custom()
                .clock(clock)
                .slidingWindowSize(20)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                .slowCallDurationThreshold(timeout)
                .waitDurationInOpenState(openFor)
                .permittedNumberOfCallsInHalfOpenState(3)
                .build());
    }

    /** Whether admissions currently bypass the remote store (for health endpoints and metrics). */
    public boolean degraded() {
        return breaker.getState() == CircuitBreaker.State.OPEN;
    }

    @Override
    public CompletionStage<Admission> reserve(String requestId, List<Charge> charges) {
        if (!breaker.tryAcquirePermission()) return degraded(requestId, charges);
        long start = System.nanoTime();
        return primary.reserve(requestId, charges).toCompletableFuture()
                .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .handle((admission, error) -> {
                    long took = System.nanoTime() - start;
                    if (error == null) {
                        breaker.onSuccess(took, TimeUnit.NANOSECONDS);
                        return CompletableFuture.completedFuture(admission);
                    }
                    breaker.onError(took, TimeUnit.NANOSECONDS, error);
                    LOG.warn("quota store call failed, applying fail policy: {}", String.valueOf(error));
                    return degraded(requestId, charges);
                })
                .thenCompose(Function.identity());
    }

    private CompletionStage<Admission> degraded(String requestId, List<Charge> charges) {
        List<Charge> local = new ArrayList<>(charges.size());
        for (Charge c : charges) {
            Limit limit = c.limit();
            switch (limit.failMode()) {
                case CLOSED -> {
                    return CompletableFuture.failedFuture(new QuotaStoreUnavailable(limit));
                }
                case OPEN -> { }
                case LOCAL_FALLBACK -> local.add(new Charge(limit.withCapacity(share(limit.capacity())),
                        c.amount(), c.hold()));
            }
        }
        return fallback.reserve(requestId, local);
    }

    /** This replica's share of a limit, rounded up so a limit never becomes zero. */
    private long share(long capacity) {
        return (capacity + replicas - 1) / replicas;
    }

    @Override
    public CompletionStage<Void> settle(Reservation reservation, Map<Metric, Long> actual) {
        if (reservation.origin().equals(FALLBACK)) return fallback.settle(reservation, actual);
        return bounded(primary.settle(reservation, actual), reservation);
    }

    @Override
    public CompletionStage<Void> release(Reservation reservation) {
        if (reservation.origin().equals(FALLBACK)) return fallback.release(reservation);
        return bounded(primary.release(reservation), reservation);
    }

    /** A settle that fails is logged and dropped: its hold expires by itself in the store. */
    private CompletionStage<Void> bounded(CompletionStage<Void> call, Reservation reservation) {
        return call.toCompletableFuture().orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .exceptionally(e -> {
                    LOG.warn("could not settle reservation {} (its holds expire by themselves): {}",
                            reservation.requestId(), String.valueOf(e));
                    return null;
                });
    }

    @Override
    public void close() {
        primary.close();
    }
}
