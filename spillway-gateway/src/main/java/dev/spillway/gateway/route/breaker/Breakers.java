package dev.spillway.gateway.route.breaker;

import dev.spillway.gateway.config.RoutingConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowSynchronizationStrategy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Clock;

/** Builds the per-backend Resilience4j circuit breakers from {@code gateway.routing.breaker}. Stateless. */
public final class Breakers {
    private Breakers() {
    }

    /**
     * A count-based, lock-free breaker on the injected clock. Open to half-open happens on the next
     * call after {@code open-for} (no timer thread); only {@link BackendFailure}s count as failures.
     */
    public static CircuitBreaker create(String backend, RoutingConfig.Breaker c, Clock clock) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindow(c.window(), c.minimumCalls(), SlidingWindowType.COUNT_BASED,
                        SlidingWindowSynchronizationStrategy.LOCK_FREE)
                .failureRateThreshold(c.failureRate())
                .slowCallRateThreshold(c.slowCallRate())
                .slowCallDurationThreshold(c.slowCall())
                .waitDurationInOpenState(c.openFor())
                .permittedNumberOfCallsInHalfOpenState(c.halfOpenCalls())
                .recordExceptions(BackendFailure.class)
                .clock(clock)
                .build();
        return CircuitBreaker.of(backend, config);
    }
}
