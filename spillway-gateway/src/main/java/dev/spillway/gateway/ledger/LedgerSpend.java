package dev.spillway.gateway.ledger;

import dev.spillway.gateway.budget.BudgetSpend;
import dev.spillway.gateway.price.PriceTable;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Each app's spend as budgets count it, from the ledger: its tokens per backend priced with
 * {@code Price.budgetMicroUsd} (a PTU backend's share of its flat cost, pay-as-you-go list
 * prices), the same function the quota policy settles with. The ledger prices a period in one sum
 * where settlement rounds each request up, so this can trail the counter by under a micro-dollar
 * per request. Priced with the table in force ({@code prices}: a config reload may change it).
 * Blocking; thread-safe.
 */
public record LedgerSpend(UsageStore store, Supplier<PriceTable> prices) implements BudgetSpend {
    @Override
    public Map<String, Long> microUsdByApp(Instant from, Instant to) throws Exception {
        Map<String, Long> byApp = new HashMap<>();
        for (UsageTotals t : store.totals(from, to, Dimension.APP)) {
            long micros = prices.get().price(t.backend())
                    .map(p -> p.budgetMicroUsd(t.promptTokens(), t.completionTokens(), t.cachedTokens())).orElse(0L);
            byApp.merge(t.key(), micros, Long::sum);
        }
        return byApp;
    }
}
