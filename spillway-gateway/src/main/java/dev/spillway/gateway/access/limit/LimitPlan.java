package dev.spillway.gateway.access.limit;

import dev.spillway.gateway.access.keys.KeyLimits;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Turns a caller into the concrete limits that apply to it: those on its key plus those configured
 * for its app, team and user (every one applies; the tightest decides). Stateless apart from its
 * config; thread-safe.
 */
public final class LimitPlan {
    private static final BigDecimal MICROS = BigDecimal.valueOf(1_000_000);
    private final LimitsConfig config;

    public LimitPlan(LimitsConfig config) {
        this.config = config;
    }

    /** Who is counted for one request; {@code keyId} empty for JWT callers. */
    public record Subjects(Optional<String> keyId, KeyLimits keyLimits, String app, Optional<String> team,
            Optional<String> user) {
    }

    public List<Limit> requests(Subjects s) {
        List<Limit> out = new ArrayList<>();
        each(s, (subject, l) -> add(out, subject, Metric.REQUESTS, Window.MINUTE, l.requestsPerMinute(),
                config.rateFailMode()));
        return out;
    }

    /** Token limits per minute (a rate), day and month (quotas). */
    public List<Limit> tokens(Subjects s) {
        List<Limit> out = new ArrayList<>();
        each(s, (subject, l) -> {
            add(out, subject, Metric.TOKENS, Window.MINUTE, l.tokensPerMinute(), config.rateFailMode());
            add(out, subject, Metric.TOKENS, Window.DAY, l.tokensPerDay(), config.quotaFailMode());
            add(out, subject, Metric.TOKENS, Window.MONTH, l.tokensPerMonth(), config.quotaFailMode());
        });
        return out;
    }

    public List<Limit> budgets(Subjects s) {
        List<Limit> out = new ArrayList<>();
        each(s, (subject, l) -> l.budgetPerMonthUsd().ifPresent(usd -> out.add(new Limit(subject, Metric.MICRO_USD,
                Window.MONTH, usd.multiply(MICROS).longValue(), config.budgetFailMode()))));
        return out;
    }

    private interface PerSubject {
        void accept(String subject, KeyLimits limits);
    }

    private void each(Subjects s, PerSubject f) {
        s.keyId().ifPresent(id -> f.accept("key:" + id, s.keyLimits()));
        Optional.ofNullable(config.apps().get(s.app())).ifPresent(l -> f.accept("app:" + s.app(), l));
        s.team().flatMap(t -> Optional.ofNullable(config.teams().get(t)).map(l -> new Named("team:" + t, l)))
                .ifPresent(n -> f.accept(n.subject(), n.limits()));
        s.user().flatMap(u -> Optional.ofNullable(config.users().getOrDefault(u, config.users().get("*")))
                .map(l -> new Named("user:" + u, l))).ifPresent(n -> f.accept(n.subject(), n.limits()));
    }

    private record Named(String subject, KeyLimits limits) {
    }

    private static void add(List<Limit> out, String subject, Metric metric, Window window, OptionalLong capacity,
            FailMode failMode) {
        capacity.ifPresent(c -> out.add(new Limit(subject, metric, window, c, failMode)));
    }
}
