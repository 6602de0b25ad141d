package dev.spillway.store.jdbc.ledger;

import dev.spillway.gateway.audit.AnchoredHead;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.spillway.gateway.ledger.SafetyTotals;
import dev.spillway.gateway.ledger.UsageRecord;
import dev.spillway.gateway.ledger.UsageTotals;
import dev.spillway.gateway.ledger.Dimension;
import dev.spillway.gateway.ledger.RollupStore;
import dev.spillway.store.jdbc.Database;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every usage-ledger database must show; one subclass per dialect. */
abstract class UsageStoreContract {
    static final Instant NOV = Instant.parse("2026-11-10T12:00:00Z");
    Database database;
    JdbcUsageStore store;

    abstract Database open() throws Exception;

    @BeforeEach
    void setUp() throws Exception {
        database = open();
        store = new JdbcUsageStore(database);
    }

    @AfterEach
    void tearDown() throws Exception {
        database.close();
    }

    static UsageRecord record(String id, Instant at, String app, String backend, long in, long out, long cost) {
        return new UsageRecord(id, at, app, "team-" + app, "user-1", "sk-spw-ab", "gpt-4o", backend,
                "eastus", "gpt-4o", in, out, 3, 1, false, cost, Optional.of(Duration.ofNanos(1_234_000)),
                Duration.ofMillis(250), 200, 1, true, false, "0af7651916cd43dd8448eb211c80319c");
    }

    @Test
    void storedRecordReadsBackFieldForField() throws Exception {
        UsageRecord r = record("req-1", NOV, "billing", "gpt-4o", 100, 20, 1500);
        assertThat(store.insert(List.of(r))).isEqualTo(1);
        assertThat(store.find("req-1")).contains(r);
    }

    @Test
    void anchoredAuditHeadsReadBackInChainOrder() throws Exception {
        store.anchor(new AnchoredHead(42, "b".repeat(64), NOV.plusSeconds(10)));
        store.anchor(new AnchoredHead(7, "a".repeat(64), NOV));

        assertThat(store.heads()).containsExactly(new AnchoredHead(7, "a".repeat(64), NOV),
                new AnchoredHead(42, "b".repeat(64), NOV.plusSeconds(10)));
    }

    @Test
    void anchoredHeadsPastRetentionAreForgotten() throws Exception {
        store.anchor(new AnchoredHead(7, "a".repeat(64), NOV));
        store.anchor(new AnchoredHead(42, "b".repeat(64), NOV.plusSeconds(10)));
        store.forgetBefore(NOV.plusSeconds(5));

        assertThat(store.heads()).extracting(AnchoredHead::seq).containsExactly(42L);
    }

    @Test
    void missingTimeToFirstTokenStaysMissing() throws Exception {
        UsageRecord base = record("req-2", NOV, "billing", "gpt-4o", 1, 1, 1);
        UsageRecord r = new UsageRecord(base.requestId(), base.occurredAt(), base.app(), base.team(),
                base.user(), base.keyPrefix(), base.deployment(), base.backend(), base.region(),
                base.model(), 1, 1, 0, 0, true, 1, Optional.empty(), base.latency(), 429, 3, false, false, "");
        store.insert(List.of(r));
        assertThat(store.find("req-2")).contains(r);
    }

    @Test
    void thePriorityClassIsStoredWithTheRecord() throws Exception {
        UsageRecord base = record("req-3", NOV, "billing", "gpt-4o", 1, 1, 1);
        UsageRecord batch = new UsageRecord(base.requestId(), base.occurredAt(), base.app(), base.team(), base.user(),
                base.keyPrefix(), base.deployment(), base.backend(), base.region(), base.model(), 1, 1, 0, 0, false, 1,
                Optional.empty(), base.latency(), 200, 1, false, false, "", "batch");
        store.insert(List.of(batch, record("req-4", NOV, "billing", "gpt-4o", 1, 1, 1)));
        assertThat(store.find("req-3").orElseThrow().priority()).isEqualTo("batch");
        assertThat(store.find("req-4").orElseThrow().priority()).isEqualTo("interactive");
        assertThat(store.grandTotal(NOV, NOV.plusSeconds(1)).batchTokens()).isEqualTo(2);
        assertThat(store.totals(NOV, NOV.plusSeconds(1), Dimension.APP)).singleElement()
                .satisfies(t -> assertThat(t.batchTokens()).isEqualTo(2));
    }

    static UsageRecord acted(String id, String app, String priority, long discount, String safety) {
        UsageRecord b = record(id, NOV, app, "gpt-4o", 1, 1, 1);
        return new UsageRecord(id, NOV, app, b.team(), b.user(), b.keyPrefix(), b.deployment(), b.backend(), b.region(),
                b.model(), 1, 1, 0, 0, false, 1, Optional.empty(), b.latency(), 200, 1, false, false, "", priority,
                discount, safety);
    }

    @Test
    void theBatchDiscountAndTheSafetyChecksThatActedAreStoredAndSummed() throws Exception {
        store.insert(List.of(acted("s-1", "billing", "batch", 700, ""),
                acted("s-2", "billing", "interactive", 0, "injection:block pii:redact"),
                acted("s-3", "billing", "interactive", 0, "pii:redact secrets:redact"),
                acted("s-4", "support", "interactive", 0, "pii:annotate"),
                acted("s-5", "support", "interactive", 0, "secrets:block")));
        assertThat(store.find("s-1").orElseThrow().batchDiscountNanos()).isEqualTo(700);
        assertThat(store.find("s-2").orElseThrow().safety()).isEqualTo("injection:block pii:redact");
        assertThat(store.totals(NOV, NOV.plusSeconds(1), Dimension.APP))
                .extracting(UsageTotals::key, UsageTotals::batchDiscountNanos, UsageTotals::blockedRequests,
                        UsageTotals::redactedRequests)
                .containsExactly(tuple("billing", 700L, 1L, 2L), tuple("support", 0L, 1L, 0L));
        assertThat(store.safetyTotals(NOV, NOV.plusSeconds(1), Dimension.APP)).containsExactly(
                new SafetyTotals("billing", "injection", 1, 0), new SafetyTotals("billing", "pii", 0, 2),
                new SafetyTotals("billing", "secrets", 0, 1), new SafetyTotals("support", "secrets", 1, 0));
        assertThat(store.safetyTotals(NOV.plusSeconds(1), NOV.plusSeconds(2), Dimension.APP)).isEmpty();
    }

    @Test
    void replayedBatchStoresNothingTwice() throws Exception {
        List<UsageRecord> batch = List.of(record("a", NOV, "x", "d", 1, 1, 1), record("b", NOV, "x", "d", 1, 1, 1));
        assertThat(store.insert(batch)).isEqualTo(2);
        assertThat(store.insert(batch)).isZero();
        assertThat(store.insert(List.of(record("b", NOV, "x", "d", 9, 9, 9), record("c", NOV, "x", "d", 1, 1, 1))))
                .isEqualTo(1);
        assertThat(store.countStored("")).isEqualTo(3);
        assertThat(store.find("b").orElseThrow().promptTokens()).isEqualTo(1);
    }

    @Test
    void totalsGroupByKeyAndBackendWithinThePeriodOnly() throws Exception {
        store.insert(List.of(
                record("1", NOV, "billing", "payg", 100, 10, 1000),
                record("2", NOV.plusSeconds(60), "billing", "payg", 50, 5, 500),
                record("3", NOV, "billing", "ptu", 7, 3, 0),
                record("4", NOV, "search", "payg", 1, 1, 20),
                record("5", Instant.parse("2026-12-01T00:00:00Z"), "billing", "payg", 1000, 1000, 99)));
        Instant from = Instant.parse("2026-11-01T00:00:00Z");
        Instant to = Instant.parse("2026-12-01T00:00:00Z");
        assertThat(store.totals(from, to, Dimension.APP)).containsExactly(
                new UsageTotals("billing", "payg", 2, 150, 15, 6, 2, 1500),
                new UsageTotals("billing", "ptu", 1, 7, 3, 3, 1, 0),
                new UsageTotals("search", "payg", 1, 1, 1, 3, 1, 20));
        assertThat(store.grandTotal(from, to)).isEqualTo(new UsageTotals("total", "", 4, 158, 19, 12, 4, 1520));
    }

    private static RollupStore.UsageMinute minute(long at, String app, String key, String backend, long requests,
            long tokens, long cost, long rejected) {
        return new RollupStore.UsageMinute(at, app, key, "gpt-4o", backend, requests, tokens, 0, cost, rejected);
    }

    @Test
    void rollupsAddUpWhenTheSameMinuteIsFlushedTwice() throws Exception {
        long m = NOV.toEpochMilli();
        store.add(List.of(minute(m, "billing", "sk-a", "ptu", 2, 100, 10, 0)),
                List.of(new RollupStore.BackendMinute(m, "ptu", 2, 1, 150.0, 2)));
        store.add(List.of(minute(m, "billing", "sk-a", "ptu", 3, 50, 5, 1)),
                List.of(new RollupStore.BackendMinute(m, "ptu", 1, 0, 90.0, 1)));

        assertThat(store.usage(NOV, NOV.plusSeconds(60), 60_000)).containsExactly(
                new RollupStore.UsageMinute(m, "", "", "", "ptu", 5, 150, 0, 15, 1));
        assertThat(store.backends(NOV, NOV.plusSeconds(60), 60_000)).containsExactly(
                new RollupStore.BackendMinute(m, "ptu", 3, 1, 240.0, 3));
    }

    @Test
    void rollupsGroupByBucketAndBackendAndByKey() throws Exception {
        long m = NOV.toEpochMilli();
        store.add(List.of(minute(m, "billing", "sk-a", "ptu", 1, 10, 1, 0),
                minute(m + 60_000, "search", "sk-b", "ptu", 1, 20, 2, 0),
                minute(m + 120_000, "search", "sk-b", "payg", 1, 40, 4, 0),
                minute(m + 15 * 60_000, "billing", "sk-a", "", 1, 0, 0, 1)), List.of());

        assertThat(store.usage(NOV, NOV.plusSeconds(3600), 15 * 60_000)).containsExactly(
                new RollupStore.UsageMinute(m, "", "", "", "payg", 1, 40, 0, 4, 0),
                new RollupStore.UsageMinute(m, "", "", "", "ptu", 2, 30, 0, 3, 0),
                new RollupStore.UsageMinute(m + 15 * 60_000, "", "", "", "", 1, 0, 0, 0, 1));
        assertThat(store.byKey(NOV, NOV.plusSeconds(120))).containsExactly(
                new RollupStore.UsageMinute(0, "", "sk-a", "", "", 1, 10, 0, 1, 0),
                new RollupStore.UsageMinute(0, "", "sk-b", "", "", 1, 20, 0, 2, 0));
    }

    @Test
    void rollupsBeforeTheCutoffExpire() throws Exception {
        long m = NOV.toEpochMilli();
        store.add(List.of(minute(m, "a", "k", "b", 1, 1, 1, 0), minute(m + 60_000, "a", "k", "b", 1, 1, 1, 0)),
                List.of(new RollupStore.BackendMinute(m, "b", 1, 0, 0, 0)));

        assertThat(store.expire(NOV.plusSeconds(60))).isEqualTo(2);
        assertThat(store.usage(NOV, NOV.plusSeconds(600), 60_000)).extracting(RollupStore.UsageMinute::minuteMs)
                .containsExactly(m + 60_000);
    }
}
