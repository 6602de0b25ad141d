package dev.spillway.gateway.ledger;

import dev.spillway.gateway.price.PriceTable;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.function.Supplier;

/**
 * Builds chargeback reports from the ledger table for a calendar month in UTC. Blocking (database):
 * call from a worker thread or the CLI. Thread-safe.
 */
public final class UsageReports {
    private final UsageStore store;
    private final Supplier<PriceTable> prices;

    public UsageReports(UsageStore store, PriceTable prices) {
        this(store, () -> prices);
    }

    /** Reports priced with the table {@code prices} names when each report is built (a reload may change it). */
    public UsageReports(UsageStore store, Supplier<PriceTable> prices) {
        this.store = store;
        this.prices = prices;
    }

    public ChargebackReport report(Dimension by, YearMonth period) throws Exception {
        Instant from = period.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant to = period.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        return ChargebackReport.build(period, by, store.totals(from, to, by), prices.get(), store.safetyTotals(from, to, by));
    }

    public static YearMonth parsePeriod(String text) {
        try {
            return YearMonth.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("period must be a month like 2026-11, was '" + text + "'");
        }
    }

    public static Dimension parseBy(String text) {
        for (Dimension d : Dimension.values()) if (d.name().equalsIgnoreCase(text)) return d;
        throw new IllegalArgumentException("by must be one of app, team, user, deployment, model, priority; was '" + text + "'");
    }
}
