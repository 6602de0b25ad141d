package dev.spillway.gateway.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.pipeline.Caller;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.FrontDoor;
import dev.spillway.gateway.pipeline.Priority;
import dev.spillway.gateway.pipeline.Reply;
import dev.spillway.gateway.server.Lifecycle;
import dev.spillway.core.testkit.FakeClock;
import dev.spillway.gateway.testkit.Yaml;
import dev.spillway.gateway.route.pool.BackendState;
import dev.spillway.gateway.route.pool.BackendStates;
import dev.spillway.gateway.route.pool.Pools;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The priority class and, behind it as in the pipeline (with the cache between them), the wait:
 * low-priority calls wait for PTU headroom on a fake clock (the delay advances it) and never spill.
 */
class PriorityPolicyTest {
    private final FakeClock clock = new FakeClock();
    private final GatewayConfig config = Yaml.gateway("""
            gateway:
              backends:
                - { name: ptu, url: "http://127.0.0.1:1", deployment: d }
                - { name: paygo, url: "http://127.0.0.1:2", deployment: d }
              deployments: [ { name: gpt-4o, backends: [ptu, paygo] } ]
              batch: { apps: [ { app: nightly, priority: low } ] }
            """);
    private final BackendStates states = new BackendStates(config.backends(), config.routing(), clock);
    private final BackendState ptu = states.get("ptu");
    private final List<Long> waits = new ArrayList<>();
    private final PriorityPolicy policy = new PriorityPolicy(config.batch());
    private final PtuWaitPolicy wait = new PtuWaitPolicy(new Pools(config, states), config.batch(), clock,
            millis -> {
                waits.add(millis);
                clock.advanceMillis(millis);
                if (waits.size() == 3) ptu.observeQuota(-1, -1, -1, 30, clock.millis());
                return Future.succeededFuture();
            }, Duration.ofSeconds(2), Duration.ofMillis(250));

    private Exchange exchange(String app, String header) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        if (header != null) headers.add(PriorityPolicy.HEADER, header);
        Exchange e = new Exchange("r", clock.instant(), 0, "POST", "/v1/chat/completions", headers, FrontDoor.OPENAI,
                Operation.CHAT_COMPLETIONS, "gpt-4o", Optional.empty(), Buffer.buffer(), Lifecycle.COMPLETION_ORDER);
        e.caller(new Caller("k", app, "", "", ""));
        return e;
    }

    private Future<Reply> run(Exchange e) {
        return policy.apply(e, ex -> wait.apply(ex, x -> Future.succeededFuture(Reply.json(200, Buffer.buffer("{}")))));
    }

    @Test
    void anInteractiveCallPassesAtOnceAndMaySpill() {
        ptu.observeQuota(-1, -1, -1, 99, clock.millis());
        Exchange e = exchange("web", null);
        assertThat(run(e).succeeded()).isTrue();
        assertThat(e.priority()).isEqualTo(Priority.INTERACTIVE);
        assertThat(e.firstTierOnly()).isFalse();
        assertThat(waits).isEmpty();
    }

    @Test
    void aLowCallWaitsUntilThePtuHasHeadroomThenRunsOnItOnly() {
        ptu.observeQuota(-1, -1, -1, 99, clock.millis());
        Exchange e = exchange("web", "low");
        assertThat(run(e).succeeded()).isTrue();
        assertThat(waits).containsExactly(250L, 250L, 250L);
        assertThat(e.priority()).isEqualTo(Priority.LOW);
        assertThat(e.firstTierOnly()).isTrue();
    }

    @Test
    void aLowCallPastItsDeadlineGets429InsteadOfPayAsYouGo() {
        ptu.coolUntil(clock.millis() + 60_000);
        Future<Reply> r = run(exchange("web", "low"));
        assertThat(r.failed()).isTrue();
        assertThat(r.cause()).isInstanceOf(SpillwayException.RateLimited.class);
        assertThat(waits).hasSize(8);
    }

    @Test
    void anAppSetToLowWaitsWithoutTheHeaderAndAnUnknownValueIsRefused() {
        ptu.observeQuota(-1, -1, -1, 10, clock.millis());
        Exchange e = exchange("nightly", null);
        assertThat(run(e).succeeded()).isTrue();
        assertThat(e.priority()).isEqualTo(Priority.LOW);
        assertThat(exchange("nightly", "interactive")).satisfies(x -> {
            run(x);
            assertThat(x.priority()).isEqualTo(Priority.INTERACTIVE);
        });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> run(exchange("web", "urgent")))
                .isInstanceOf(SpillwayException.InvalidRequest.class).hasMessageContaining("interactive or low");
    }
}
