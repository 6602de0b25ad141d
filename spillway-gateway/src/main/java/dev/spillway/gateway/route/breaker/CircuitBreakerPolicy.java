package dev.spillway.gateway.route.breaker;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.pipeline.Chain;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.Reply;
import dev.spillway.gateway.route.pool.BackendState;
import dev.spillway.gateway.route.pool.BackendStates;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Attempt tier, first: asks the backend's circuit breaker for a permit and records how the attempt
 * went. 5xx answers, timeouts and transport failures count as failures; a 429 is neither (the
 * cooldown handles throttling); any other answer, a client's own 4xx included, is a success. A
 * stream counts at its headers. An open breaker fails the attempt with 503 and the router moves on.
 * Shared; the breakers themselves are thread-safe.
 */
public final class CircuitBreakerPolicy implements Policy {
    private final BackendStates states;
    private final LongSupplier nanoTime;

    public CircuitBreakerPolicy(BackendStates states) {
        this(states, System::nanoTime);
    }

    /** With {@code nanoTime} as the ticker that times calls (tests pass a fake one). */
    public CircuitBreakerPolicy(BackendStates states, LongSupplier nanoTime) {
        this.states = states;
        this.nanoTime = nanoTime;
    }

    @Override
    public Future<Reply> apply(Exchange exchange, Chain chain) {
        BackendState state = states.get(exchange.upstream().backend().name());
        CircuitBreaker breaker = state.breaker();
        if (!breaker.tryAcquirePermission()) {
            return Future.failedFuture(new SpillwayException.Unavailable(
                    "The circuit breaker of backend '" + state.name() + "' is open."));
        }
        long started = nanoTime.getAsLong();
        return chain.proceed(exchange).andThen(result -> {
            long took = nanoTime.getAsLong() - started;
            if (result.failed()) {
                breaker.onError(took, TimeUnit.NANOSECONDS, new BackendFailure(String.valueOf(result.cause().getMessage())));
            } else if (result.result().status() >= 500) {
                breaker.onError(took, TimeUnit.NANOSECONDS, new BackendFailure("status " + result.result().status()));
            } else if (result.result().status() == 429) {
                breaker.releasePermission();
            } else {
                breaker.onSuccess(took, TimeUnit.NANOSECONDS);
            }
        });
    }
}
