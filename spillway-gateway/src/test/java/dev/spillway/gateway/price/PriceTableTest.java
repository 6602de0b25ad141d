package dev.spillway.gateway.price;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one price table: per backend, for the ledger and for budgets. */
class PriceTableTest {
    static PriceTable parse(String prices) {
        ConfigNode root = ConfigLoader.parse("gateway:\n  prices:\n" + prices, Map.of());
        PriceTable table = PriceTable.from(root.child("gateway"));
        root.throwIfInvalid();
        return table;
    }

    final PriceTable table = parse("""
                - {backend: payg, input-per-1m: 2.50, output-per-1m: 10, cached-input-per-1m: 1.25}
                - {backend: batch, input-per-1m: 2.50, output-per-1m: 10, discount-percent: 50}
                - {backend: lane, input-per-1m: 2.50, output-per-1m: 10, discount-percent: 10, batch-discount-percent: 50}
                - {backend: ptu, ptu-monthly-usd: 20000, ptu-monthly-tokens: 4000000000}
            """);

    @Test
    void payAsYouGoChargesUncachedCachedAndCompletionTokensToTheNanoDollar() {
        // 600 × 2.50 + 400 × 1.25 + 100 × 10 per 1M = $0.003
        assertThat(table.costNanos("payg", 1000, 100, 400)).isEqualTo(3_000_000L);
        assertThat(table.price("payg").orElseThrow().budgetMicroUsd(1000, 100, 400)).isEqualTo(3000);
    }

    @Test
    void aDiscountTakesItsShareOffEveryToken() {
        assertThat(table.costNanos("batch", 1000, 100, 0)).isEqualTo(1_750_000L); // half of $0.0035
    }

    @Test
    void aBatchDiscountTakesItsShareOffBatchLinesOnlyOnTopOfTheDiscount() {
        assertThat(table.costNanos("lane", 1000, 100, 0)).isEqualTo(3_150_000L); // $0.0035 less 10 %
        assertThat(table.batchCostNanos("lane", 1000, 100, 0)).isEqualTo(1_575_000L); // and half of that
        assertThat(table.batchCostNanos("payg", 1000, 100, 0)).isEqualTo(table.costNanos("payg", 1000, 100, 0));
        assertThat(table.batchCostNanos("ptu", 1000, 100, 0)).isZero();
    }

    @Test
    void ptuIsFlatInTheLedgerAndItsMonthlyShareInBudgets() {
        assertThat(table.costNanos("ptu", 1000, 100, 0)).isZero();
        // $20,000 for 4B tokens = 5 µUSD per token
        assertThat(table.price("ptu").orElseThrow().budgetMicroUsd(1000, 0, 0)).isEqualTo(5000);
        assertThat(table.price("ptu").orElseThrow().ptuMonthlyNanos()).isEqualTo(20_000_000_000_000L);
    }

    @Test
    void beforeTheBackendIsKnownABudgetReservesTheDearestOfTheDeployment() {
        assertThat(table.highestBudgetMicroUsd(List.of("batch", "payg"), 1000, 100)).isEqualTo(3500);
        assertThat(table.highestBudgetMicroUsd(List.of("unpriced"), 1000, 100)).isZero();
    }

    @Test
    void badEntriesAreConfigErrorsNamingTheKey() {
        assertThatThrownBy(() -> parse("    - {backend: p, ptu-monthly-usd: 5, input-per-1m: 1, ptu-monthly-tokens: 9}\n"))
                .hasMessageContaining("gateway.prices[0].ptu-monthly-usd:");
        assertThatThrownBy(() -> parse("    - {backend: p, ptu-monthly-usd: 5}\n"))
                .hasMessageContaining("ptu-monthly-tokens: must be > 0");
        assertThatThrownBy(() -> parse("    - {backend: p, input-per-1m: 1, discount-percent: 120}\n"))
                .hasMessageContaining("discount-percent: must be between 0 and 100");
        assertThatThrownBy(() -> parse("    - {backend: p, input-per-1m: 1, batch-discount-percent: -5}\n"))
                .hasMessageContaining("batch-discount-percent: must be between 0 and 100");
        assertThatThrownBy(() -> parse("    - {backend: p, ptu-monthly-usd: 5, ptu-monthly-tokens: 9, batch-discount-percent: 50}\n"))
                .hasMessageContaining("batch-discount-percent: a PTU backend is priced flat");
        assertThatThrownBy(() -> parse("    - {deployment: gpt-4o, input-per-1m: 1}\n"))
                .hasMessageContaining("deployment");
    }
}
