package dev.spillway.gateway.budget;

import java.time.Instant;
import java.util.Objects;

/**
 * One budget warning to one webhook: {@code app} has spent {@code spentMicroUsd} of its
 * {@code budgetMicroUsd} monthly budget in {@code period} ({@code 2026-12}), crossing
 * {@code thresholdPercent}. The spend is the one seen when the threshold was crossed, so a
 * warning re-sent after a restart says what it said the first time. Immutable.
 */
public record BudgetAlert(String app, String period, int thresholdPercent, String webhook, long spentMicroUsd,
        long budgetMicroUsd, Instant raisedAt, int attempts) {
    public BudgetAlert {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(webhook, "webhook");
        Objects.requireNonNull(raisedAt, "raisedAt");
        if (thresholdPercent <= 0) throw new IllegalArgumentException("thresholdPercent: must be > 0");
    }

    /**
     * The warning's stable id, {@code chat/2026-12/80/ops}: sent as {@code idempotency-key} and in
     * the payload, so a receiver can drop the one repeat a crash between its 2xx and our record of
     * it can cause.
     */
    public String id() {
        return app + "/" + period + "/" + thresholdPercent + "/" + webhook;
    }

    /** Spend as a percentage of the budget, one decimal. */
    public double usedPercent() {
        return budgetMicroUsd == 0 ? 0 : Math.round(spentMicroUsd * 1000.0 / budgetMicroUsd) / 10.0;
    }
}
