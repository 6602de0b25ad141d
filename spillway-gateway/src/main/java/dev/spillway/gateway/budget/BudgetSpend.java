package dev.spillway.gateway.budget;

import java.time.Instant;
import java.util.Map;

/** What each app spent in {@code [from, to)}, in micro-USD, priced as budgets are. Blocking. */
@FunctionalInterface
public interface BudgetSpend {
    Map<String, Long> microUsdByApp(Instant from, Instant to) throws Exception;
}
