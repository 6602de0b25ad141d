package dev.spillway.gateway.route;

import dev.spillway.gateway.server.Lifecycle;
import dev.spillway.gateway.testkit.FakeClock;
import dev.spillway.gateway.testkit.Yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.pipeline.Caller;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.FrontDoor;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.pipeline.Pipeline;
import dev.spillway.gateway.pipeline.Reply;
import dev.spillway.gateway.route.breaker.CircuitBreakerPolicy;
import dev.spillway.gateway.route.pool.BackendStates;
import dev.spillway.gateway.route.pool.Pools;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static final String CONFIG = """
            gateway:
              routing:
                max-attempts: %d
                retry-budget: { ratio: %s, min-retries: %d }
              backends:
                - { name: ptu, url: "http://127.0.0.1:1", deployment: d }
                - { name: payg-a, url: "http://127.0.0.1:1", deployment: d }
                - { name: payg-b, url: "http://127.0.0.1:1", deployment: d }
              deployments:
                - name: gpt-4o
                  backends:
                    - { backend: ptu, priority: 0 }
                    - { backend: payg-a, priority: 1 }
                    - { backend: payg-b, priority: 2 }
                  app-pools:
                    - { apps: [batch], backends: [payg-b] }
            """;

    private final FakeClock clock = new FakeClock();
    private final List<Long> waits = new ArrayList<>();
    private final Map<String, Queue<Supplier<Future<Reply>>>> script = new HashMap<>();
    private final List<String> calls = new ArrayList<>();
    private GatewayConfig config;
    private BackendStates states;
    private Router router;

    RouterTest() {
        configure(5, 0.2, 10);
    }

    private void configure(int maxAttempts, double ratio, int minRetries) {
        config = Yaml.gateway(CONFIG.formatted(maxAttempts, ratio, minRetries));
        states = new BackendStates(config.backends(), config.routing(), clock);
        Pipeline attemptTier = new Pipeline(List.of(new CircuitBreakerPolicy(states, () -> 0)), exchange -> {
            String name = exchange.upstream().backend().name();
            calls.add(name);
            Queue<Supplier<Future<Reply>>> q = script.get(name);
            return q == null || q.isEmpty() ? Future.succeededFuture(reply(200)) : q.poll().get();
        });
        Delay delay = millis -> {
            waits.add(millis);
            clock.advanceMillis(millis);
            return Future.succeededFuture();
        };
        router = new Router(new Pools(config, states), attemptTier, config.routing(), clock, delay);
    }

    private static Reply reply(int status, String... headers) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < headers.length; i += 2) h.add(headers[i], headers[i + 1]);
        return new Reply(status, h, new Reply.Body.Full(Buffer.buffer("{}")));
    }

    private void answer(String backend, Reply reply) {
        script.computeIfAbsent(backend, k -> new ArrayDeque<>()).add(() -> Future.succeededFuture(reply));
    }

    private void fail(String backend, RuntimeException e) {
        script.computeIfAbsent(backend, k -> new ArrayDeque<>()).add(() -> Future.failedFuture(e));
    }

    private Exchange exchange(String app) {
        Exchange e = new Exchange("r1", Instant.now(clock), 0, "POST", "/openai/deployments/gpt-4o/chat/completions",
                MultiMap.caseInsensitiveMultiMap(), FrontDoor.AZURE, Operation.CHAT_COMPLETIONS, "gpt-4o",
                Optional.of("2024-10-21"), Buffer.buffer("{\"messages\":[]}"), Lifecycle.COMPLETION_ORDER);
        e.caller(new Caller("k", app, "", "", ""));
        e.body(dev.spillway.core.wire.Json.MAPPER.createObjectNode().put("max_tokens", 100));
        return e;
    }

    private Future<Reply> route(Exchange e) {
        return router.handle(e);
    }

    private static List<String> attempted(Exchange e) {
        return e.attempts().stream().map(a -> a.backend() + ":" + a.status()).toList();
    }

    @Test
    void a429CoolsItsBackendForItsRetryAfterAndTheNextOneAnswersAtOnce() {
        answer("ptu", reply(429, "retry-after-ms", "2000", "retry-after", "2"));
        Exchange e = exchange("app");
        Reply r = route(e).result();
        assertThat(r.status()).isEqualTo(200);
        assertThat(e.backend()).isEqualTo("payg-a");
        assertThat(attempted(e)).containsExactly("ptu:429", "payg-a:200");
        assertThat(states.get("ptu").coolingUntil()).isEqualTo(clock.millis() + 2000);
        assertThat(waits).isEmpty();
    }

    @Test
    void retryAfterInSecondsIsHonouredWhenNoMillisecondsAreGiven() {
        answer("ptu", reply(429, "retry-after", "7"));
        route(exchange("app"));
        assertThat(states.get("ptu").coolingUntil()).isEqualTo(clock.millis() + 7000);
    }

    @Test
    void theNextRequestSkipsTheCoolingBackendWithoutAsking() {
        answer("ptu", reply(429, "retry-after-ms", "2000"));
        route(exchange("app"));
        calls.clear();
        route(exchange("app"));
        assertThat(calls).containsExactly("payg-a");
    }

    @Test
    void serverErrorFailsOverToTheNextBackend() {
        answer("ptu", reply(500));
        Exchange e = exchange("app");
        assertThat(route(e).result().status()).isEqualTo(200);
        assertThat(attempted(e)).containsExactly("ptu:500", "payg-a:200");
    }

    @Test
    void transportFailureFailsOverToTheNextBackend() {
        fail("ptu", new SpillwayException.BadGateway("connection refused"));
        Exchange e = exchange("app");
        assertThat(route(e).result().status()).isEqualTo(200);
        assertThat(attempted(e)).containsExactly("ptu:502", "payg-a:200");
    }

    @Test
    void theClientsOwnBadRequestIsTheAnswerWithoutRetry() {
        answer("ptu", reply(400));
        Exchange e = exchange("app");
        assertThat(route(e).result().status()).isEqualTo(400);
        assertThat(calls).containsExactly("ptu");
    }

    @Test
    void everyBackendCoolingMakesTheRouterWaitForTheEarliestWithinTheDeadline() {
        answer("ptu", reply(429, "retry-after-ms", "500"));
        answer("payg-a", reply(429, "retry-after-ms", "800"));
        answer("payg-b", reply(429, "retry-after-ms", "1000"));
        Exchange e = exchange("app");
        assertThat(route(e).result().status()).isEqualTo(200);
        assertThat(waits).containsExactly(500L);
        assertThat(calls).containsExactly("ptu", "payg-a", "payg-b", "ptu");
    }

    @Test
    void aCooldownBeyondTheWaitLimitIsAnswered429WithTheEarliestRetryTime() {
        answer("ptu", reply(429, "retry-after", "40"));
        answer("payg-a", reply(429, "retry-after", "30"));
        answer("payg-b", reply(429, "retry-after", "50"));
        Future<Reply> result = route(exchange("app"));
        assertThat(result.failed()).isTrue();
        assertThat(result.cause()).isInstanceOf(SpillwayException.RateLimited.class);
        assertThat(((SpillwayException.RateLimited) result.cause()).retryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(waits).isEmpty();
    }

    @Test
    void attemptsPerRequestAreBounded() {
        configure(2, 0.2, 10);
        answer("ptu", reply(500));
        answer("payg-a", reply(503));
        Exchange e = exchange("app");
        assertThat(route(e).result().status()).isEqualTo(503);
        assertThat(calls).containsExactly("ptu", "payg-a");
    }

    @Test
    void anEmptyRetryBudgetStopsTheRetryAndReturnsTheLastAnswer() {
        configure(5, 0.0, 0);
        answer("ptu", reply(500));
        Exchange e = exchange("app");
        assertThat(route(e).result().status()).isEqualTo(500);
        assertThat(calls).containsExactly("ptu");
    }

    @Test
    void spillsAfterA429DoNotSpendTheRetryBudget() {
        configure(5, 0.0, 0);
        answer("ptu", reply(429, "retry-after-ms", "100"));
        assertThat(route(exchange("app")).result().status()).isEqualTo(200);
        assertThat(calls).containsExactly("ptu", "payg-a");
    }

    @Test
    void noBackendLeftAnswers503() {
        states.all().forEach(s -> s.breaker().transitionToOpenState());
        Future<Reply> result = route(exchange("app"));
        assertThat(result.cause()).isInstanceOf(SpillwayException.Unavailable.class);
    }

    @Test
    void anAppWithADedicatedPoolUsesOnlyThatPool() {
        route(exchange("batch"));
        route(exchange("other"));
        assertThat(calls).containsExactly("payg-b", "ptu");
    }

    @Test
    void theFirstByteTimeoutIsCutToTheRequestsDeadline() {
        List<Duration> timeouts = new ArrayList<>();
        Pipeline tier = new Pipeline(List.of(), ex -> {
            timeouts.add(ex.upstream().firstByteTimeout());
            return Future.succeededFuture(reply(200));
        });
        GatewayConfig c = Yaml.gateway("""
                gateway:
                  routing: { deadline: 1s }
                  backends: [ { name: a, url: "http://127.0.0.1:1", deployment: d, first-byte-timeout: 60s } ]
                  deployments: [ { name: gpt-4o, backends: [a] } ]
                """);
        BackendStates s = new BackendStates(c.backends(), c.routing(), clock);
        new Router(new Pools(c, s), tier, c.routing(), clock, ms -> Future.succeededFuture()).handle(exchange("x"));
        assertThat(timeouts).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void quotaHeadersOnAnAnswerSteerTheNextRequest() {
        answer("ptu", reply(200, "x-ratelimit-remaining-tokens", "3", "x-ratelimit-remaining-requests", "5"));
        route(exchange("app"));
        calls.clear();
        route(exchange("app"));
        assertThat(calls).containsExactly("payg-a");
    }
}
