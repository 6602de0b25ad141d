package dev.spillway.gateway.access;

import dev.spillway.gateway.testkit.Exchanges;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.access.keys.KeyLimits;
import dev.spillway.gateway.access.limit.Admission;
import dev.spillway.gateway.access.limit.Charge;
import dev.spillway.gateway.access.limit.FailMode;
import dev.spillway.gateway.testkit.FakeClock;
import dev.spillway.gateway.access.limit.InMemoryQuotaStore;
import dev.spillway.gateway.access.limit.Limit;
import dev.spillway.gateway.access.limit.LimitPlan;
import dev.spillway.gateway.access.limit.LimitsConfig;
import dev.spillway.gateway.access.limit.Metric;
import dev.spillway.gateway.access.limit.QuotaStore;
import dev.spillway.gateway.access.limit.QuotaStoreUnavailable;
import dev.spillway.gateway.access.limit.Reservation;
import dev.spillway.gateway.access.limit.Window;
import dev.spillway.gateway.pipeline.Caller;
import dev.spillway.gateway.price.Price;
import dev.spillway.gateway.price.PriceTable;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.FrontDoor;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.pipeline.Outcome;
import dev.spillway.gateway.pipeline.Reply;
import dev.spillway.gateway.pipeline.Usage;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The quota policy alone, with a real in-memory store and a hand-written chain. */
class QuotaPolicyTest {
    final FakeClock clock = new FakeClock(Instant.parse("2026-11-21T10:15:10Z"));
    final InMemoryQuotaStore store = new InMemoryQuotaStore(clock, Duration.ofMinutes(5));
    final KeyLimits chatLimits = new KeyLimits(OptionalLong.empty(), OptionalLong.of(1000), OptionalLong.empty(),
            OptionalLong.empty(), Optional.of(new BigDecimal("1")));
    final LimitsConfig config = new LimitsConfig(256, 4096, FailMode.LOCAL_FALLBACK, FailMode.CLOSED, FailMode.CLOSED,
            Map.of("chat", chatLimits), Map.of(), Map.of());
    /** gpt-4o is served by a PTU first and pay-as-you-go after it. */
    final PriceTable prices = PriceTable.of(List.of(Price.payAsYouGo("b", "1", "1", "1"),
            Price.ptu("ptu", "1", 10_000_000)));
    final Limit tpm = new Limit("app:chat", Metric.TOKENS, Window.MINUTE, 1000, FailMode.LOCAL_FALLBACK);

    Exchange exchange() {
        Exchange e = Exchanges.chat("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":100}");
        e.caller(new Caller("k", "chat", "", "", ""));
        return e;
    }

    QuotaPolicy policy(QuotaStore s) {
        return new QuotaPolicy(s, new LimitPlan(config), config, prices, alias -> List.of("ptu", "b"), clock);
    }

    /** Whether {@code tokens} more would fit the app's minute now (the probe is released again). */
    boolean fits(long tokens) {
        return fits(tpm, tokens);
    }

    /** Whether {@code amount} more would fit {@code limit} now (the probe is released again). */
    boolean fits(Limit limit, long amount) {
        Admission a = store.reserve("probe-" + limit.metric() + amount, List.of(Charge.hold(limit, amount)))
                .toCompletableFuture().join();
        if (!(a instanceof Admission.Granted g)) return false;
        store.release(g.reservation());
        return true;
    }

    @Test
    void reportedUsageReplacesTheEstimateWhenTheResponseIsDone() throws Exception {
        Exchange e = exchange();
        policy(store).apply(e, ex -> {
            ex.backend("b");
            ex.usage(new Usage(10, 20, 0, 0, true));
            return Future.succeededFuture(Reply.json(200, Buffer.buffer("{}")));
        });
        assertThat(fits(900)).isFalse();
        e.complete(new Outcome(200, 2, true, false));
        assertThat(fits(970)).isTrue();
        assertThat(fits(971)).isFalse();
    }

    /** Whether {@code micros} more would fit the app's monthly budget now (the probe is released again). */
    boolean budgetFits(long micros) {
        return fits(new Limit("app:chat", Metric.MICRO_USD, Window.MONTH, 1_000_000, FailMode.CLOSED), micros);
    }

    @Test
    void theBudgetIsSettledAtThePriceOfTheBackendThatServed() throws Exception {
        for (String backend : List.of("ptu", "b")) {
            Exchange e = exchange();
            policy(store).apply(e, ex -> {
                ex.backend(backend);
                ex.usage(new Usage(100, 100, 0, 0, true));
                return Future.succeededFuture(Reply.json(200, Buffer.buffer("{}")));
            });
            e.complete(new Outcome(200, 2, true, false));
        }
        // ptu: $1 a month for 10M tokens → 200 tokens = 20 µUSD; b: $1 per 1M → 200 µUSD
        assertThat(budgetFits(1_000_000 - 220)).isTrue();
        assertThat(budgetFits(1_000_000 - 220 + 1)).isFalse();
    }

    /** A policy for app {@code small}: 200 tokens a day and a budget of $0.0001 a month. */
    private Throwable refusedForSmall(String backend, String body) {
        LimitsConfig small = new LimitsConfig(256, 4096, FailMode.LOCAL_FALLBACK, FailMode.CLOSED, FailMode.CLOSED,
                Map.of("small", new KeyLimits(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.of(200),
                        OptionalLong.empty(), Optional.of(new BigDecimal("0.0001")))), Map.of(), Map.of());
        QuotaPolicy p = new QuotaPolicy(store, new LimitPlan(small), small, prices, alias -> List.of(backend), clock);
        Exchange e = Exchanges.chat(body);
        e.caller(new Caller("k", "small", "", "", ""));
        return p.apply(e, ex -> Future.succeededFuture(Reply.json(200, Buffer.buffer("{}")))).cause();
    }

    @Test
    void aRequestBiggerThanTheWholeDailyQuotaIsToldItIsTooBigNotThatTheQuotaIsUsedUp() {
        assertThat(refusedForSmall("ptu", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":500}"))
                .isInstanceOf(SpillwayException.Forbidden.class)
                .hasMessage("The daily token quota of 200 tokens for app:small is smaller than this request's estimate"
                        + " of 506 tokens; lower max_tokens or shorten the prompt.");
    }

    @Test
    void aBudgetOfAFractionOfACentIsShownWithItsOwnPrecision() {
        // b: $1 per 1M tokens, so the 106 tokens estimated cost $0.000106, over the $0.0001 budget
        assertThat(refusedForSmall("b", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":100}"))
                .hasMessage("The monthly budget of $0.0001 for app:small is smaller than this request's estimate of"
                        + " $0.000106; lower max_tokens or shorten the prompt.");
        assertThat(QuotaPolicy.amount(true, 100)).isEqualTo("$0.0001");
        assertThat(QuotaPolicy.amount(true, 500_000_000)).isEqualTo("$500.00");
        assertThat(QuotaPolicy.amount(true, 1_234_567)).isEqualTo("$1.234567");
    }

    @Test
    void aUsedUpDailyQuotaSaysSoAndWhenItResets() {
        Limit daily = new Limit("app:small", Metric.TOKENS, Window.DAY, 200, FailMode.CLOSED);
        store.reserve("spent", List.of(Charge.consume(daily, 200))).toCompletableFuture().join();
        assertThat(refusedForSmall("ptu", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":5}"))
                .hasMessage("The daily token quota of 200 tokens for app:small is used up; it resets in 13 hours.");
    }

    @Test
    void aBackendErrorThatUsedNothingReleasesTheHold() throws Exception {
        Exchange e = exchange();
        policy(store).apply(e, ex -> Future.succeededFuture(Reply.json(500, Buffer.buffer("{}"))));
        e.complete(new Outcome(500, 2, true, false));
        assertThat(fits(1000)).isTrue();
    }

    @Test
    void aSuccessWithoutUsageSettlesToTheEstimate() throws Exception {
        Exchange e = exchange();
        policy(store).apply(e, ex -> {
            ex.backend("b");
            return Future.succeededFuture(Reply.json(200, Buffer.buffer("{}")));
        });
        e.complete(new Outcome(200, 2, false, true));
        long estimate = 2 + 4 + 100; // ("user" + "hi") / 4 rounded up, 4 per message, max_tokens
        assertThat(fits(1000 - estimate)).isTrue();
        assertThat(fits(1000 - estimate + 1)).isFalse();
    }

    @Test
    void aStoreThatFailsClosedTurnsIntoA503() throws Exception {
        QuotaStore down = new QuotaStore() {
            @Override
            public CompletionStage<Admission> reserve(String id, List<Charge> charges) {
                return CompletableFuture.failedFuture(new QuotaStoreUnavailable(charges.get(1).limit()));
            }

            @Override
            public CompletionStage<Void> settle(Reservation r, Map<Metric, Long> actual) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletionStage<Void> release(Reservation r) {
                return CompletableFuture.completedFuture(null);
            }
        };
        Future<Reply> reply = policy(down).apply(exchange(), ex -> Future.succeededFuture(Reply.json(200, Buffer.buffer("{}"))));
        assertThat(reply.cause()).isInstanceOf(SpillwayException.Unavailable.class)
                .hasMessageContaining("app:chat").hasMessageContaining("fails closed");
    }
}
