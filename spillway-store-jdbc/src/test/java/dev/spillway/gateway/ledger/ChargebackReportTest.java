package dev.spillway.gateway.ledger;

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
                - {deployment: gpt-4o, input-per-1m: 2.50, output-per-1m: 10, cached-input-per-1m: 1.25}
                - {deployment: ptu, ptu-monthly-cost: 1000}
                - {deployment: idle-ptu, ptu-monthly-cost: 7.5}
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
        assertThat(prices().costNanos("gpt-4o", 1000, 100, 400)).isEqualTo(3_000_000L);
        assertThat(prices().costNanos("ptu", 1000, 100, 0)).isZero();
        assertThat(prices().costNanos("unpriced", 1000, 100, 0)).isZero();
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
                List.of(new UsageTotals("x,y", "gpt-4o", 2, 10, 5, 0, 0, 1_234_567_891L)), PriceTable.empty());
        assertThat(ReportFormat.TABLE.write(r)).contains("usage 2026-11 by team").contains("1.234567891");
        assertThat(ReportFormat.CSV.write(r)).contains("\"x,y\",2,10,5,0,0,0,1.234567891,0.000000000,1.234567891");
        assertThat(ReportFormat.JSON.write(r)).contains("\"cost_usd\" : 1.234567891");
    }

    @Test
    void batchLinesGetTheBatchDiscountAndTheReportShowsTheirTokens() {
        ConfigNode root = ConfigLoader.parse("gateway:\n  prices:\n    - {deployment: gpt-4o, input-per-1m: 2, "
                + "output-per-1m: 8, batch-discount: 50}\n", Map.of());
        PriceTable table = PriceTable.from(root.child("gateway"));
        root.throwIfInvalid();
        assertThat(table.costNanos("gpt-4o", 1000, 100, 0, false)).isEqualTo(2_800_000L);
        assertThat(table.costNanos("gpt-4o", 1000, 100, 0, true)).isEqualTo(1_400_000L);
        ChargebackReport r = ChargebackReport.build(NOV, Dimension.APP, List.of(
                new UsageTotals("etl", "gpt-4o", 3, 3000, 300, 0, 0, 5_600_000L, 2200)), table);
        assertThat(r.total().batchTokens()).isEqualTo(2200);
        assertThat(ReportFormat.CSV.write(r)).startsWith("key,requests,prompt_tokens,completion_tokens,cached_tokens,"
                + "reasoning_tokens,batch_tokens,").contains("etl,3,3000,300,0,0,2200,0.005600000");
    }

    @Test
    void aBatchDiscountOutsideZeroToHundredIsAConfigError() {
        ConfigNode root = ConfigLoader.parse("gateway:\n  prices:\n    - {deployment: d, batch-discount: 150}\n", Map.of());
        PriceTable.from(root.child("gateway"));
        assertThat(root.problems()).singleElement().asString().contains("batch-discount: must be 0-100 percent");
    }

    @Test
    void badPeriodByOrFormatSaysWhatIsAccepted() {
        assertThatThrownBy(() -> UsageReports.parsePeriod("November")).hasMessageContaining("like 2026-11");
        assertThatThrownBy(() -> UsageReports.parseBy("region")).hasMessageContaining("app, team, user, deployment, model");
        assertThatThrownBy(() -> ReportFormat.parse("xml")).hasMessageContaining("table, csv, json");
    }

    @Test
    void ptuWithPerTokenPricesIsAConfigError() {
        ConfigNode root = ConfigLoader.parse("gateway:\n  prices:\n    - {deployment: p, ptu-monthly-cost: 5, input-per-1m: 1}\n", Map.of());
        PriceTable.from(root.child("gateway"));
        assertThat(root.problems()).singleElement().asString().startsWith("gateway.prices[0].ptu-monthly-cost:");
    }

    private static List<UsageRecord> randomRecords(PriceTable prices, int n) {
        Random random = new Random(42);
        String[] deployments = {"gpt-4o", "ptu", "unpriced"};
        List<UsageRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String d = deployments[random.nextInt(deployments.length)];
            long in = random.nextInt(5000);
            long outTokens = random.nextInt(800);
            Instant at = Instant.parse("2026-10-31T12:00:00Z").plusSeconds(random.nextInt(40 * 86400));
            UsageRecord base = UsageRecords.of("rec-" + i, at, "app" + random.nextInt(7), d, in, outTokens,
                    prices.costNanos(d, in, outTokens, 0));
            out.add(base);
        }
        return out;
    }
}
