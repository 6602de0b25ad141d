package dev.spillway.gateway.ledger;

import dev.spillway.gateway.price.PriceTable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.store.jdbc.Database;
import dev.spillway.store.jdbc.ledger.JdbcUsageStore;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChargebackReportTest {
    private static final YearMonth NOV = YearMonth.of(2026, 11);
    private static final String PRICES = """
            gateway:
              prices:
                - {backend: payg, input-per-1m: 2.50, output-per-1m: 10, cached-input-per-1m: 1.25}
                - {backend: ptu, ptu-monthly-usd: 1000, ptu-monthly-tokens: 100000000}
                - {backend: idle-ptu, ptu-monthly-usd: 7.5, ptu-monthly-tokens: 1000000}
            """;
    @TempDir
    Path dir;

    private static PriceTable prices() {
        ConfigNode root = ConfigLoader.parse(PRICES, Map.of());
        PriceTable table = PriceTable.from(root.child("gateway"));
        root.throwIfInvalid();
        return table;
    }

    @Test
    void payAsYouGoCostUsesInputCachedAndOutputPrices() {
        // 1,000 prompt tokens of which 400 cached, 100 completion: 600*2.5 + 400*1.25 + 100*10 per 1M
        assertThat(prices().costNanos("payg", 1000, 100, 400)).isEqualTo(3_000_000L);
        assertThat(prices().costNanos("ptu", 1000, 100, 0)).isZero();
        assertThat(prices().costNanos("unpriced", 1000, 100, 0)).isZero();
    }

    @Test
    void theReportShowsBatchTokensTheirDiscountAndTheSafetyChecksThatActed() {
        List<UsageTotals> totals = List.of(
                new UsageTotals("reports", "payg", 3, 300, 30, 0, 0, 1_000, 200, 1_000, 0, 0),
                new UsageTotals("support", "payg", 5, 500, 50, 0, 0, 4_000, 0, 0, 2, 3));
        List<SafetyTotals> safety = List.of(new SafetyTotals("support", "injection", 2, 0),
                new SafetyTotals("support", "pii", 0, 3));
        ChargebackReport r = ChargebackReport.build(NOV, Dimension.APP, totals, prices(), safety);
        assertThat(r.total()).extracting(ChargebackReport.Row::batchTokens, ChargebackReport.Row::batchDiscountNanos,
                ChargebackReport.Row::blockedRequests, ChargebackReport.Row::redactedRequests)
                .containsExactly(200L, 1_000L, 2L, 3L);
        assertThat(ReportFormat.CSV.write(r)).contains(
                "key,requests,prompt_tokens,completion_tokens,cached_tokens,reasoning_tokens,batch_tokens,"
                        + "metered_cost_usd,ptu_cost_usd,cost_usd,batch_discount_usd,blocked,redacted,cache_hits,saved_usd\n",
                "reports,3,300,30,0,0,200,0.000001000,0.000000000,0.000001000,0.000001000,0,0,0,0.000000000\n",
                "support,5,500,50,0,0,0,0.000004000,0.000000000,0.000004000,0.000000000,2,3,0,0.000000000\n");
        assertThat(ReportFormat.TABLE.write(r)).contains("safety checks that acted, by app and check")
                .containsPattern("support\\s+injection\\s+2\\s+0\n").containsPattern("support\\s+pii\\s+0\\s+3\n");
        assertThat(ReportFormat.JSON.write(r)).contains("\"batch_discount_usd\" : 0.000001000")
                .contains("\"safety\" : [ {\n    \"key\" : \"support\",\n    \"check\" : \"injection\",");
    }

    @Test
    void ptuMonthlyCostIsSplitByTokenShareAndAddsUpExactly() {
        List<UsageTotals> totals = List.of(
                new UsageTotals("a", "ptu", 1, 1, 0, 0, 0, 0),
                new UsageTotals("b", "ptu", 1, 1, 0, 0, 0, 0),
                new UsageTotals("c", "ptu", 1, 1, 0, 0, 0, 0));
        ChargebackReport r = ChargebackReport.build(NOV, Dimension.APP, totals, prices());
        assertThat(r.rows()).extracting(ChargebackReport.Row::ptuCostNanos)
                .containsExactly(7_500_000_000L, 333_333_333_334L, 333_333_333_333L, 333_333_333_333L);
        assertThat(r.rows().getFirst().key()).isEqualTo("(unused ptu: idle-ptu)");
        assertThat(r.total().ptuCostNanos()).isEqualTo(1_007_500_000_000L);
    }

    @Test
    void reportTotalsReconcileExactlyWithTheLedger() throws Exception {
        try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("ledger.db"), Optional.empty(), Optional.empty(), 4)) {
            JdbcUsageStore store = new JdbcUsageStore(db);
            PriceTable prices = prices();
            store.insert(randomRecords(prices, 2000));
            UsageTotals ledger = store.grandTotal(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));
            UsageReports reports = new UsageReports(store, prices);
            for (Dimension by : Dimension.values()) {
                ChargebackReport r = reports.report(by, NOV);
                ChargebackReport.Row sum = r.rows().stream().reduce(new ChargebackReport.Row("", 0, 0, 0, 0, 0, 0, 0),
                        ChargebackReport.Row::plus);
                assertThat(sum).isEqualTo(new ChargebackReport.Row("", r.total().requests(), r.total().promptTokens(),
                        r.total().completionTokens(), r.total().cachedTokens(), r.total().reasoningTokens(),
                        r.total().meteredCostNanos(), r.total().ptuCostNanos()));
                assertThat(r.total().requests()).isEqualTo(ledger.requests());
                assertThat(r.total().promptTokens()).isEqualTo(ledger.promptTokens());
                assertThat(r.total().completionTokens()).isEqualTo(ledger.completionTokens());
                assertThat(r.total().meteredCostNanos()).isEqualTo(ledger.costNanos());
                assertThat(r.total().ptuCostNanos()).isEqualTo(1_007_500_000_000L);
            }
        }
    }

    @Test
    void formatsShowTheSameExactTotal() {
        ChargebackReport r = ChargebackReport.build(NOV, Dimension.TEAM,
                List.of(new UsageTotals("x,y", "payg", 2, 10, 5, 0, 0, 1_234_567_891L)), PriceTable.empty());
        assertThat(ReportFormat.TABLE.write(r)).contains("usage 2026-11 by team").contains("1.234567891");
        assertThat(ReportFormat.CSV.write(r)).contains("\"x,y\",2,10,5,0,0,0,1.234567891,0.000000000,1.234567891");
        assertThat(ReportFormat.JSON.write(r)).contains("\"cost_usd\" : 1.234567891");
    }

    @Test
    void theReportShowsTheTokensOfBatchLines() {
        ChargebackReport r = ChargebackReport.build(NOV, Dimension.APP, List.of(
                new UsageTotals("etl", "payg", 3, 3000, 300, 0, 0, 5_600_000L, 2200),
                new UsageTotals("etl", "payg-west", 1, 100, 10, 0, 0, 100_000L, 110)), PriceTable.empty());
        assertThat(r.total().batchTokens()).isEqualTo(2310);
        assertThat(ReportFormat.CSV.write(r)).startsWith("key,requests,prompt_tokens,completion_tokens,cached_tokens,"
                + "reasoning_tokens,batch_tokens,").contains("etl,4,3100,310,0,0,2310,0.005700000");
    }

    @Test
    void badPeriodByOrFormatSaysWhatIsAccepted() {
        assertThatThrownBy(() -> UsageReports.parsePeriod("November")).hasMessageContaining("like 2026-11");
        assertThatThrownBy(() -> UsageReports.parseBy("region")).hasMessageContaining("app, team, user, deployment, model");
        assertThatThrownBy(() -> ReportFormat.parse("xml")).hasMessageContaining("table, csv, json");
    }

    @Test
    void aPtuFirstAliasChargesPtuTokensTheFlatShareAndSpilloverTokensPayAsYouGo() throws Exception {
        try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("ptu-first.db"), Optional.empty(), Optional.empty(), 4)) {
            JdbcUsageStore store = new JdbcUsageStore(db);
            PriceTable prices = prices();
            Instant at = Instant.parse("2026-11-05T10:00:00Z");
            // one alias, gpt-4o: the PTU served a's request and b's first; b's second spilled over to payg
            store.insert(List.of(
                    UsageRecords.served("1", at, "a", "gpt-4o", "ptu", 3000, 0, prices.costNanos("ptu", 3000, 0, 0)),
                    UsageRecords.served("2", at, "b", "gpt-4o", "ptu", 1000, 0, prices.costNanos("ptu", 1000, 0, 0)),
                    UsageRecords.served("3", at, "b", "gpt-4o", "payg", 1000, 100,
                            prices.costNanos("payg", 1000, 100, 0))));
            ChargebackReport r = new UsageReports(store, prices).report(Dimension.APP, NOV);
            Map<String, ChargebackReport.Row> byApp = new java.util.HashMap<>();
            r.rows().forEach(row -> byApp.put(row.key(), row));
            assertThat(byApp.get("a").meteredCostNanos()).isZero();
            assertThat(byApp.get("a").ptuCostNanos()).isEqualTo(750_000_000_000L); // 3/4 of $1,000
            assertThat(byApp.get("b").meteredCostNanos()).isEqualTo(3_500_000L); // 1000 × 2.50 + 100 × 10 per 1M
            assertThat(byApp.get("b").ptuCostNanos()).isEqualTo(250_000_000_000L);
            assertThat(r.total().costNanos()).isEqualTo(1_007_500_000_000L + 3_500_000L);
        }
    }

    private static List<UsageRecord> randomRecords(PriceTable prices, int n) {
        Random random = new Random(42);
        String[] backends = {"payg", "ptu", "unpriced"};
        List<UsageRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String b = backends[random.nextInt(backends.length)];
            long in = random.nextInt(5000);
            long outTokens = random.nextInt(800);
            Instant at = Instant.parse("2026-10-31T12:00:00Z").plusSeconds(random.nextInt(40 * 86400));
            UsageRecord base = UsageRecords.served("rec-" + i, at, "app" + random.nextInt(7), "gpt-4o", b, in,
                    outTokens, prices.costNanos(b, in, outTokens, 0));
            out.add(base);
        }
        return out;
    }
}
