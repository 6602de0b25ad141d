package dev.spillway.gateway.route.breaker;

import dev.spillway.gateway.server.Lifecycle;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.config.RoutingConfig;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.FrontDoor;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.pipeline.Pipeline;
import dev.spillway.gateway.pipeline.Reply;
import dev.spillway.gateway.testkit.FakeClock;
import dev.spillway.gateway.testkit.Fixtures;
import dev.spillway.gateway.route.Upstream;
import dev.spillway.gateway.route.pool.BackendStates;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class CircuitBreakerPolicyTest {
    private final FakeClock clock = new FakeClock();
    private final AtomicLong nanos = new AtomicLong();
    private final RoutingConfig.Breaker settings = new RoutingConfig.Breaker(50f, 80f, Duration.ofSeconds(5), 10, 10,
            Duration.ofSeconds(10), 2);
    private final RoutingConfig routing = new RoutingConfig(5, Duration.ofSeconds(60), Duration.ofSeconds(5),
            RoutingConfig.RetryBudget.DEFAULT, RoutingConfig.Spillover.DEFAULT, settings);
    private final BackendStates states = new BackendStates(List.of(Fixtures.backend("a", "")), routing, clock);
    private Supplier<Future<Reply>> backend = () -> Future.succeededFuture(reply(200));
    private long callTakesNanos;
    private final Pipeline tier = new Pipeline(List.of(new CircuitBreakerPolicy(states, nanos::get)), e -> {
        nanos.addAndGet(callTakesNanos);
        return backend.get();
    });

    private static Reply reply(int status) {
        return new Reply(status, MultiMap.caseInsensitiveMultiMap(), new Reply.Body.Full(Buffer.buffer("{}")));
    }

    private Future<Reply> call() {
        Exchange e = new Exchange("r", Instant.EPOCH, 0, "POST", "/", MultiMap.caseInsensitiveMultiMap(),
                FrontDoor.OPENAI, Operation.CHAT_COMPLETIONS, "d", Optional.empty(), Buffer.buffer(), Lifecycle.COMPLETION_ORDER);
        e.upstream(new Upstream(states.get("a").config()));
        return tier.run(e);
    }

    private State state() {
        return states.get("a").breaker().getState();
    }

    private void calls(int n, int status) {
        backend = () -> Future.succeededFuture(reply(status));
        for (int i = 0; i < n; i++) call();
    }

    @Test
    void serverErrorsAtTheFailureRateOpenTheBreaker() {
        calls(5, 200);
        calls(5, 500);
        assertThat(state()).isEqualTo(State.OPEN);
        Future<Reply> rejected = call();
        assertThat(rejected.cause()).isInstanceOf(SpillwayException.Unavailable.class);
    }

    @Test
    void transportFailuresAndTimeoutsCountAsFailures() {
        backend = () -> Future.failedFuture(new SpillwayException.GatewayTimeout("slow"));
        for (int i = 0; i < 10; i++) call();
        assertThat(state()).isEqualTo(State.OPEN);
    }

    @Test
    void theClientsOwnBadRequestsDoNotCount() {
        calls(10, 400);
        assertThat(state()).isEqualTo(State.CLOSED);
    }

    @Test
    void throttlingDoesNotCountEitherWay() {
        calls(20, 429);
        assertThat(state()).isEqualTo(State.CLOSED);
        assertThat(states.get("a").breaker().getMetrics().getNumberOfBufferedCalls()).isZero();
    }

    @Test
    void slowCallsAtTheSlowRateOpenTheBreaker() {
        callTakesNanos = Duration.ofSeconds(6).toNanos();
        calls(10, 200);
        assertThat(state()).isEqualTo(State.OPEN);
    }

    @Test
    void afterOpenForHalfOpenProbesCloseItAgain() {
        calls(10, 500);
        assertThat(state()).isEqualTo(State.OPEN);
        clock.advance(Duration.ofMillis(10_001));
        calls(1, 200);
        assertThat(state()).isEqualTo(State.HALF_OPEN);
        calls(1, 200);
        assertThat(state()).isEqualTo(State.CLOSED);
    }

    @Test
    void aFailedHalfOpenProbeOpensItAgain() {
        calls(10, 500);
        clock.advance(Duration.ofMillis(10_001));
        calls(1, 200);
        assertThat(state()).isEqualTo(State.HALF_OPEN);
        calls(1, 502);
        assertThat(state()).isEqualTo(State.OPEN);
    }

    @Test
    void theRouterMayPickAnOpenBackendOnceOpenForHasPassedSoItCanProbe() {
        calls(10, 500);
        var a = states.get("a");
        assertThat(a.breakerAdmits(clock.millis())).isFalse();
        clock.advance(Duration.ofMillis(10_001));
        assertThat(a.breakerAdmits(clock.millis())).isTrue();
        assertThat(a.breakerClosed()).isFalse();
    }
}
