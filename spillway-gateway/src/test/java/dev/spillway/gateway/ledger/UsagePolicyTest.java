package dev.spillway.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.spillway.gateway.pipeline.Caller;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Priority;
import dev.spillway.gateway.pipeline.Usage;
import dev.spillway.gateway.price.Price;
import dev.spillway.gateway.price.PriceTable;
import dev.spillway.gateway.telemetry.GatewayMetrics;
import dev.spillway.gateway.telemetry.TelemetryConfig;
import dev.spillway.gateway.testkit.Exchanges;
import dev.spillway.gateway.testkit.FakeStream;
import dev.spillway.gateway.testkit.Fixtures;
import dev.spillway.gateway.testkit.PolicyHarness;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The usage policy alone, appending to a ledger that records in memory. */
class UsagePolicyTest {
    final List<UsageRecord> ledger = new CopyOnWriteArrayList<>();
    final PriceTable prices = PriceTable.of(List.of(Price.payAsYouGo("b1", "2.50", "1.25", "10"),
            Price.ptu("ptu", "20000", 4_000_000_000L)));
    final PolicyHarness harness = new PolicyHarness(new UsagePolicy(r -> {
        ledger.add(r);
        return CompletableFuture.completedFuture(null);
    }, prices, new GatewayMetrics(TelemetryConfig.defaults(), Set.of("gpt-4o"), Set.of("b1")), name -> Optional.of(
            Fixtures.backend(name, name.equals("ptu") ? "swedencentral" : "eastus")), Durability.STRICT))
            .fromBackend("b1");

    @Test
    void reportedUsageIsRecordedAndPricedOnceTheReplyIsWritten() {
        Exchange e = Exchanges.chat();
        e.caller(new Caller("k", "chat", "search", "ana", "sk-spw-abc"));
        harness.run(e);
        e.usage(new Usage(1000, 100, 0, 0, true));
        assertThat(ledger).isEmpty();
        PolicyHarness.complete(e, 200);
        assertThat(ledger).singleElement().satisfies(r -> {
            assertThat(r.app()).isEqualTo("chat");
            assertThat(r.backend()).isEqualTo("b1");
            assertThat(r.model()).isEqualTo("gpt-4o");
            assertThat(r.region()).isEqualTo("eastus");
            assertThat(r.promptTokens()).isEqualTo(1000);
            assertThat(r.usageEstimated()).isFalse();
            assertThat(r.costNanos()).isEqualTo(3_500_000L); // 1000 × $2.50/1M + 100 × $10/1M = $0.0035
        });
    }

    @Test
    void aBatchLineIsPricedAfterTheBatchDiscountAndTheRecordKeepsWhatItTookOff() {
        Price half = new Price("b1", new BigDecimal("2.50"), new BigDecimal("1.25"), BigDecimal.TEN, Optional.empty(), 0,
                BigDecimal.ZERO, BigDecimal.valueOf(50));
        List<UsageRecord> rows = new CopyOnWriteArrayList<>();
        PolicyHarness h = new PolicyHarness(new UsagePolicy(r -> {
            rows.add(r);
            return CompletableFuture.completedFuture(null);
        }, PriceTable.of(List.of(half)), new GatewayMetrics(TelemetryConfig.defaults(), Set.of("gpt-4o"), Set.of("b1")),
                name -> Optional.of(Fixtures.backend(name, "eastus")), Durability.STRICT)).fromBackend("b1");
        for (Priority p : List.of(Priority.BATCH, Priority.INTERACTIVE)) {
            Exchange e = Exchanges.chat();
            e.priority(p);
            h.run(e);
            e.usage(new Usage(1000, 100, 0, 0, true));
            PolicyHarness.complete(e, 200);
        }
        assertThat(rows).extracting(UsageRecord::priority, UsageRecord::costNanos, UsageRecord::batchDiscountNanos)
                .containsExactly(tuple("batch", 1_750_000L, 1_750_000L), tuple("interactive", 3_500_000L, 0L));
    }

    @Test
    void theChecksThatActedAreRecordedOnceEachWithTheirActionAndNoRule() {
        Exchange e = Exchanges.chat();
        harness.run(e);
        e.safetyFinding("input:injection:override:block");
        e.safetyFinding("input:pii:email:redact");
        e.safetyFinding("output:pii:card:redact");
        e.safetyFinding("input:content-safety:violence:4:annotate");
        PolicyHarness.complete(e, 400);
        assertThat(ledger).singleElement().extracting(UsageRecord::safety)
                .isEqualTo("injection:block pii:redact content-safety:annotate");
        assertThat(UsagePolicy.safety(List.of())).isEmpty();
    }

    @Test
    void aRequestServedByAPtuBackendIsMeteredAtNoCostAndTaggedWithItsRegion() {
        Exchange e = Exchanges.chat();
        harness.fromBackend("ptu").run(e);
        e.usage(new Usage(1000, 100, 0, 0, true));
        PolicyHarness.complete(e, 200);
        assertThat(ledger).singleElement().satisfies(r -> {
            assertThat(r.backend()).isEqualTo("ptu");
            assertThat(r.region()).isEqualTo("swedencentral");
            assertThat(r.costNanos()).isZero(); // its flat monthly cost is shared out by the report
        });
    }

    @Test
    void aStreamCutBeforeItsUsageChunkIsChargedTheTextTheMeterHandedOverAndMarkedEstimated() {
        FakeStream source = new FakeStream();
        Exchange e = Exchanges.chat("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true}");
        PolicyHarness.read(harness.streams(source).run(e).result());
        char[] text = "Hello there, world".toCharArray();
        e.generatedText().append(text, 0, text.length); // as MeterPolicy's SseMeter does per frame
        PolicyHarness.complete(e, 200);
        assertThat(e.usage().completionTokens()).isEqualTo(StreamTokenCounter.count("Hello there, world"));
        assertThat(e.usage().promptTokens()).isPositive();
        assertThat(ledger).singleElement().satisfies(r -> {
            assertThat(r.completionTokens()).isEqualTo(e.usage().completionTokens());
            assertThat(r.usageEstimated()).isTrue();
        });
    }

    @Test
    void aStreamCutBeforeAnyTextIsStillChargedItsPrompt() {
        FakeStream source = new FakeStream();
        Exchange e = Exchanges.chat("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true}");
        PolicyHarness.read(harness.streams(source).run(e).result());
        PolicyHarness.complete(e, 200);
        assertThat(e.usage().completionTokens()).isZero();
        assertThat(ledger).singleElement().satisfies(r -> {
            assertThat(r.promptTokens()).isPositive();
            assertThat(r.usageEstimated()).isTrue();
        });
    }

    @Test
    void aStreamWhoseBackendReportedUsageIsChargedThatAndNotTheCount() {
        FakeStream source = new FakeStream();
        Exchange e = Exchanges.chat("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true}");
        PolicyHarness.read(harness.streams(source).run(e).result());
        char[] text = "Hello there, world".toCharArray();
        e.generatedText().append(text, 0, text.length);
        e.usage(new Usage(11, 4, 0, 0, true)); // the usage chunk, as the meter records it
        PolicyHarness.complete(e, 200);
        assertThat(ledger).singleElement().satisfies(r -> {
            assertThat(r.completionTokens()).isEqualTo(4);
            assertThat(r.promptTokens()).isEqualTo(11);
            assertThat(r.usageEstimated()).isFalse();
        });
    }
}
