package dev.spillway.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.gateway.access.Access;
import dev.spillway.gateway.cache.Caches;
import dev.spillway.gateway.access.QuotaPolicy;
import dev.spillway.gateway.access.keys.KeyLimits;
import dev.spillway.gateway.access.limit.Admission;
import dev.spillway.gateway.access.limit.Charge;
import dev.spillway.gateway.access.limit.FailMode;
import dev.spillway.gateway.access.limit.InMemoryQuotaStore;
import dev.spillway.gateway.access.limit.Limit;
import dev.spillway.gateway.access.limit.LimitPlan;
import dev.spillway.gateway.access.limit.LimitsConfig;
import dev.spillway.gateway.access.limit.Metric;
import dev.spillway.gateway.access.limit.Window;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.safety.ExternalCheck;
import dev.spillway.gateway.ledger.Accounting;
import dev.spillway.gateway.price.PriceTable;
import dev.spillway.gateway.ledger.Durability;
import dev.spillway.gateway.ledger.UsagePolicy;
import dev.spillway.gateway.pipeline.InternalCalls;
import dev.spillway.gateway.pipeline.Caller;
import dev.spillway.gateway.pipeline.Completion;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Pipeline;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.Reply;
import dev.spillway.gateway.route.Routing;
import dev.spillway.gateway.telemetry.GatewayMetrics;
import dev.spillway.gateway.telemetry.TelemetryConfig;
import dev.spillway.gateway.testkit.Exchanges;
import dev.spillway.core.testkit.FakeClock;
import dev.spillway.gateway.testkit.FakeStream;
import dev.spillway.gateway.testkit.PolicyHarness;
import dev.spillway.gateway.testkit.Yaml;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The request lifecycle as the gateway assembles it: both tiers and the completion order. */
class LifecycleTest {
    final FakeClock clock = new FakeClock(Exchanges.RECEIVED);
    final InMemoryQuotaStore store = new InMemoryQuotaStore(clock, Duration.ofMinutes(5));
    final LimitsConfig limits = new LimitsConfig(500, 4096, FailMode.LOCAL_FALLBACK, FailMode.CLOSED, FailMode.CLOSED,
            Map.of("chat", new KeyLimits(OptionalLong.empty(), OptionalLong.of(10_000), OptionalLong.empty(),
                    OptionalLong.empty(), Optional.empty())), Map.of(), Map.of());
    final Limit tpm = new Limit("app:chat", Metric.TOKENS, Window.MINUTE, 10_000, FailMode.LOCAL_FALLBACK);

    @Test
    void bothTiersRunInTheDocumentedOrder(@TempDir Path dir) throws Exception {
        Vertx vertx = Vertx.vertx();
        GatewayConfig config = Yaml.gateway("""
                gateway:
                  data-dir: "%s"
                  ledger: { enabled: false }
                  audit: { mode: metadata }
                  backends: [ { name: b, url: "http://127.0.0.1:1", deployment: d, probe: { kind: none } } ]
                  deployments: [ { name: gpt-4o, backends: [b] } ]
                  cache: { apps: [ { app: chat, enabled: true } ] }
                """.formatted(dir.toString().replace('\\', '/')));
        try (Accounting accounting = Accounting.open(config, clock);
                Access access = Access.create(vertx, config.access(), clock)) {
            Routing routing = new Routing(vertx, config, clock);
            Lifecycle lifecycle = Lifecycle.assemble(config, routing, access, accounting, ExternalCheck.NONE,
                    Caches.open(config.cache(), config.access(), dir, clock, InternalCalls.NONE));
            assertThat(lifecycle.authenticate()).isNotNull();
            assertThat(names(lifecycle.requestTier())).containsExactly("TracePolicy", "AuditPolicy", "UsagePolicy",
                    "ValidatePolicy", "AuthorizePolicy", "SafetyPolicy", "PriorityPolicy", "RateLimitPolicy",
                    "QuotaPolicy", "CachePolicy", "PtuWaitPolicy");
            assertThat(names(lifecycle.attemptTier())).containsExactly("CircuitBreakerPolicy", "TranslatePolicy",
                    "BackendAuthPolicy", "AttemptSpanPolicy", "MeterPolicy");
            routing.close().toCompletionStage().toCompletableFuture().get();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    @Test
    void usageIsCountedBeforeTheQuotaSettlesAndTheBodyIsReleasedAfterTheTraceEnds() {
        assertThat(Lifecycle.COMPLETION_ORDER).containsExactly(Completion.COUNT_USAGE, Completion.SETTLE_QUOTA,
                Completion.RECORD_USAGE, Completion.AUDIT, Completion.CACHE, Completion.END_TRACE,
                Completion.RELEASE_BODY);
    }

    @Test
    void aStreamBrokenBeforeItsUsageChunkChargesTheQuotaTheCountedTokensNotTheEstimate() {
        UsagePolicy usage = new UsagePolicy(r -> CompletableFuture.completedFuture(null), PriceTable.empty(),
                new GatewayMetrics(TelemetryConfig.defaults(), Set.of(), Set.of()), b -> Optional.empty(),
                Durability.STRICT);
        QuotaPolicy quota = new QuotaPolicy(store, new LimitPlan(limits), limits, PriceTable.empty(), d -> List.of(), clock);
        FakeStream source = new FakeStream();
        // the two policies in the request tier's order: usage outside, quota inside
        Pipeline tier = new Pipeline(List.of(usage, quota), ex -> {
            ex.backend("ptu");
            return Future.succeededFuture(new Reply(200, MultiMap.caseInsensitiveMultiMap(),
                    new Reply.Body.Streamed(source, () -> { })));
        });
        Exchange exchange = Exchanges.chat("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true}");
        exchange.caller(new Caller("k", "chat", "", "", ""));

        PolicyHarness.read(tier.run(exchange).result());
        source.push("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello there, world\"}}]}\n\n");
        PolicyHarness.complete(exchange, 200);

        long counted = exchange.usage().totalTokens();
        assertThat(counted).isBetween(5L, 20L); // far below the admission estimate of 500 + the prompt
        assertThat(fits(10_000 - counted)).isTrue();
        assertThat(fits(10_000 - counted + 1)).isFalse();
    }

    private static List<String> names(Pipeline pipeline) {
        return pipeline.policies().stream().map(Policy::name).toList();
    }

    /** Whether {@code tokens} more would fit the app's minute now (the probe is released again). */
    private boolean fits(long tokens) {
        Admission a = store.reserve("probe-" + tokens, List.of(Charge.hold(tpm, tokens))).toCompletableFuture().join();
        if (!(a instanceof Admission.Granted g)) return false;
        store.release(g.reservation());
        return true;
    }
}
