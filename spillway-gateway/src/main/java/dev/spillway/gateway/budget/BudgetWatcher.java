package dev.spillway.gateway.budget;

import dev.spillway.gateway.access.limit.Window;
import dev.spillway.gateway.telemetry.GatewayMetrics;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns before a budget stops an app: every {@code check-interval} it reads each app's spend this
 * calendar month (UTC, the budget's window) from the ledger, raises a warning per webhook for each
 * threshold the spend has reached, and delivers the warnings that are due.
 *
 * <p>Implementation notes. Raising and sending are split by the {@link BudgetAlertLog}: a warning
 * is first stored as pending (insert-if-absent on app, period, threshold, webhook: once per
 * threshold per period, across restarts and replicas), then leased, posted and marked. A failed
 * post is retried after {@code initial-backoff}, doubling up to {@code max-backoff}, until
 * {@code max-attempts}; the schedule lives in the log, so it survives a restart. A crash between
 * the receiver's 2xx and {@code markSent} sends that warning once more, with the same
 * {@code idempotency-key}. Spend comes from the ledger, so it trails the budget counters by the
 * spool's drain interval. Not thread-safe: {@link #check} runs on one worker thread at a time (the
 * caller skips a tick while the previous pass still runs); one per gateway.
 */
public final class BudgetWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(BudgetWatcher.class);
    /** Warnings leased per pass: each lease covers posting them all one after another. */
    private static final int BATCH = 10;
    private final BudgetAlertsConfig config;
    private final Map<String, BigDecimal> budgetsUsd;
    private final BudgetSpend spend;
    private final BudgetAlertLog log;
    private final WebhookSender sender;
    private final GatewayMetrics metrics;
    private final Clock clock;

    /** {@code budgetsUsd}: each app's monthly budget ({@code limits.apps}). */
    public BudgetWatcher(BudgetAlertsConfig config, Map<String, BigDecimal> budgetsUsd, BudgetSpend spend,
            BudgetAlertLog log, java.util.List<String> outboundHosts, GatewayMetrics metrics, Clock clock) {
        this.config = config;
        this.budgetsUsd = Map.copyOf(budgetsUsd);
        this.spend = spend;
        this.log = log;
        this.sender = new WebhookSender(outboundHosts, config.timeout());
        this.metrics = metrics;
        this.clock = clock;
    }

    /** One pass: raise what the spend has reached, then deliver what is due. */
    public void check() throws Exception {
        raise(clock.instant());
        deliver(clock.instant());
    }

    private void raise(Instant now) throws Exception {
        String period = YearMonth.from(now.atZone(ZoneOffset.UTC)).toString();
        Instant from = YearMonth.parse(period).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Map<String, Long> spent = spend.microUsdByApp(from, Window.MONTH.end(now));
        for (Map.Entry<String, BigDecimal> budget : budgetsUsd.entrySet()) {
            String app = budget.getKey();
            long budgetMicros = budget.getValue().movePointRight(6).longValue();
            long used = spent.getOrDefault(app, 0L);
            metrics.budgetUsed(app, budgetMicros == 0 ? 0 : (double) used / budgetMicros);
            if (budgetMicros == 0) continue;
            for (int percent : config.thresholds(app)) {
                // Integer arithmetic: 80 % is reached at exactly 0.8 x budget, never missed by rounding.
                if (used * 100 < (long) percent * budgetMicros) break;
                for (BudgetAlertsConfig.Webhook w : config.webhooks()) {
                    BudgetAlert alert = new BudgetAlert(app, period, percent, w.name(), used, budgetMicros, now, 0);
                    if (log.raise(alert)) LOG.info("budget warning raised: {}", alert.id());
                }
            }
        }
    }

    private void deliver(Instant now) throws Exception {
        // Posts are sequential, each bounded by timeout to connect and timeout to answer: the
        // lease outlasts the whole batch, so no other replica takes a warning this pass will post.
        Instant lease = now.plus(config.timeout().multipliedBy(2L * (BATCH + 1)));
        for (BudgetAlert due : log.takeDue(now, lease, BATCH)) {
            BudgetAlert attempt = new BudgetAlert(due.app(), due.period(), due.thresholdPercent(), due.webhook(),
                    due.spentMicroUsd(), due.budgetMicroUsd(), due.raisedAt(), due.attempts() + 1);
            Optional<BudgetAlertsConfig.Webhook> webhook = config.webhooks().stream()
                    .filter(w -> w.name().equals(due.webhook())).findFirst();
            WebhookSender.Result r = webhook.isPresent() ? sender.send(webhook.get(), attempt)
                    : new WebhookSender.Result(false, false, "webhook '" + due.webhook() + "' is no longer configured");
            record(attempt, r);
        }
    }

    private void record(BudgetAlert attempt, WebhookSender.Result r) throws Exception {
        Instant now = clock.instant();
        if (r.delivered()) {
            log.markSent(attempt, now);
            metrics.budgetAlert("sent");
            return;
        }
        boolean again = r.retry() && attempt.attempts() < config.maxAttempts();
        Optional<Instant> retryAt = again ? Optional.of(now.plus(backoff(attempt.attempts()))) : Optional.empty();
        log.markFailed(attempt, retryAt, r.detail());
        metrics.budgetAlert(again ? "retried" : "failed");
        if (!again) LOG.warn("budget warning {} not delivered after {} attempt(s): {}", attempt.id(), attempt.attempts(),
                r.detail());
    }

    /** The wait after the {@code attempts}-th failure: initial-backoff doubled per attempt, capped. */
    java.time.Duration backoff(int attempts) {
        java.time.Duration d = config.initialBackoff();
        for (int i = 1; i < attempts && d.compareTo(config.maxBackoff()) < 0; i++) d = d.multipliedBy(2);
        return d.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : d;
    }
}
