package dev.spillway.gateway.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.access.limit.Admission;
import dev.spillway.gateway.access.limit.Charge;
import dev.spillway.gateway.access.limit.Limit;
import dev.spillway.gateway.access.limit.LimitPlan;
import dev.spillway.gateway.access.limit.LimitsConfig;
import dev.spillway.gateway.access.limit.Metric;
import dev.spillway.gateway.access.limit.QuotaStore;
import dev.spillway.gateway.access.limit.QuotaStoreUnavailable;
import dev.spillway.gateway.access.limit.Reservation;
import dev.spillway.gateway.access.limit.TokenEstimate;
import dev.spillway.gateway.access.limit.Window;
import dev.spillway.gateway.pipeline.Chain;
import dev.spillway.gateway.pipeline.Completion;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.pipeline.Outcome;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.Reply;
import dev.spillway.gateway.pipeline.Usage;
import dev.spillway.gateway.price.PriceTable;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Request tier: reserves the request's estimated tokens (characters / 4 plus {@code max_tokens}, no
 * tokenizer) and estimated cost against every token and money limit of its key, app, team and user
 * in one atomic store call, then settles to the usage the backend reported once the response is
 * done (or releases the hold if nothing was generated). Tokens per minute over the limit: 429;
 * an exhausted day/month quota or budget: 403; store down and a limit that fails closed: 503.
 * {@code max_tokens} above the cap is a 400. Shared; thread-safe.
 */
public final class QuotaPolicy implements Policy {
    private final QuotaStore store;
    private final LimitPlan plan;
    private final LimitsConfig config;
    private final PriceTable prices;
    private final Function<String, List<String>> backendsOf;
    private final Clock clock;

    /** {@code backendsOf} names the backends a deployment alias may be sent to (for the cost estimate). */
    public QuotaPolicy(QuotaStore store, LimitPlan plan, LimitsConfig config, PriceTable prices,
            Function<String, List<String>> backendsOf, Clock clock) {
        this.clock = clock;
        this.store = store;
        this.plan = plan;
        this.config = config;
        this.prices = prices;
        this.backendsOf = backendsOf;
    }

    @Override
    public Future<Reply> apply(Exchange exchange, Chain chain) {
        Optional<ObjectNode> body = exchange.body();
        if (exchange.operation() == Operation.MODELS || body.isEmpty()) return chain.proceed(exchange);
        TokenEstimate estimate = TokenEstimate.of(body.get(), maxTokens(body.get(), exchange.operation()),
                exchange.operation() != Operation.EMBEDDINGS);
        LimitPlan.Subjects subjects = Subjects.of(exchange.caller());
        List<Charge> charges = new ArrayList<>();
        plan.tokens(subjects).forEach(l -> charges.add(Charge.hold(l, estimate.total())));
        var budgets = plan.budgets(subjects);
        // Priced only when a money budget counts the request (BigDecimal arithmetic per backend).
        long cost = budgets.isEmpty() ? 0 : prices.highestBudgetMicroUsd(backendsOf.apply(exchange.deployment()),
                estimate.prompt(), estimate.completion());
        budgets.forEach(l -> charges.add(Charge.hold(l, cost)));
        if (charges.isEmpty()) return chain.proceed(exchange);
        return Async.onContext(store.reserve(exchange.requestId(), charges))
                .recover(e -> Future.failedFuture(e instanceof QuotaStoreUnavailable u ? unavailable(u) : e))
                .compose(admission -> switch (admission) {
                    case Admission.Denied d -> Future.failedFuture(refusal(d,
                            d.limit().metric() == Metric.MICRO_USD ? cost : estimate.total()));
                    case Admission.Granted g -> admitted(exchange, chain, g, estimate);
                });
    }

    private Future<Reply> admitted(Exchange exchange, Chain chain, Admission.Granted g, TokenEstimate estimate) {
        exchange.onComplete(Completion.SETTLE_QUOTA, outcome -> finish(exchange, outcome, g.reservation(), estimate));
        return chain.proceed(exchange).map(reply -> {
            Admission.Headroom left = g.tightest().get(Metric.TOKENS);
            if (left != null) RateLimitHeaders.tighter(reply.headers(), RateLimitHeaders.TOKENS, left, clock.instant());
            return reply;
        });
    }

    /**
     * Settles to reported (or counted) usage, priced at the backend that served it; releases when
     * no backend produced anything.
     */
    private void finish(Exchange exchange, Outcome outcome, Reservation r, TokenEstimate estimate) {
        Usage u = exchange.usage();
        boolean nothingUsed = u.totalTokens() == 0 && !u.reported();
        if (nothingUsed && (outcome.status() >= 400 || exchange.backend().isEmpty())) {
            store.release(r);
            return;
        }
        long prompt = nothingUsed ? estimate.prompt() : u.promptTokens();
        long completion = nothingUsed ? estimate.completion() : u.completionTokens();
        long cached = nothingUsed ? 0 : u.cachedTokens();
        Map<Metric, Long> actual = new EnumMap<>(Metric.class);
        actual.put(Metric.TOKENS, prompt + completion);
        actual.put(Metric.MICRO_USD, prices.price(exchange.backend())
                .map(p -> p.budgetMicroUsd(prompt, completion, cached)).orElse(0L));
        store.settle(r, actual);
    }

    private long maxTokens(ObjectNode body, Operation op) {
        // The Responses API names its limit max_output_tokens.
        String field = op == Operation.RESPONSES ? "max_output_tokens" : "max_tokens";
        JsonNode v = op == Operation.RESPONSES || !body.has("max_completion_tokens") ? body.get(field)
                : body.get("max_completion_tokens");
        if (v == null || v.isNull()) return config.defaultMaxTokens();
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 1) {
            throw new SpillwayException.InvalidRequest("invalid_request_error",
                    "'" + field + "' must be a positive whole number.", field);
        }
        if (v.asLong() > config.maxTokensCap()) {
            throw new SpillwayException.InvalidRequest("invalid_request_error", "'" + field + "' is " + v.asLong()
                    + ", above this gateway's cap of " + config.maxTokensCap() + ".", field);
        }
        return v.asLong();
    }

    /** Why a request was refused, in words: {@code needed} is what this request asked the limit for. */
    private static SpillwayException refusal(Admission.Denied d, long needed) {
        Limit l = d.limit();
        boolean tooBig = needed > l.capacity();
        if (l.window() == Window.MINUTE) {
            String why = tooBig ? "this request's estimate of " + needed + " tokens is more than a whole minute allows;"
                    + " lower max_tokens or shorten the prompt"
                    : "this request needs " + needed + " and " + d.remaining() + " are left."
                    + " Retry after the time in retry-after-ms";
            return new SpillwayException.RateLimited("Tokens per minute for " + l.subject() + " are limited to "
                    + l.capacity() + ", and " + why + ".", d.retryAfter(),
                    RateLimitHeaders.refused(RateLimitHeaders.TOKENS, l, d.remaining(), d.retryAfter()));
        }
        boolean money = l.metric() == Metric.MICRO_USD;
        String limit = "The " + (l.window() == Window.DAY ? "daily" : "monthly") + (money ? " budget" : " token quota")
                + " of " + amount(money, l.capacity()) + " for " + l.subject();
        String message = tooBig
                ? limit + " is smaller than this request's estimate of " + amount(money, needed)
                        + "; lower max_tokens or shorten the prompt."
                : limit + (d.remaining() <= 0 ? " is used up" : " has " + amount(money, d.remaining())
                        + " left, less than this request's estimate of " + amount(money, needed))
                        + "; it resets in " + inWords(d.retryAfter()) + ".";
        return new SpillwayException.Forbidden(money ? "budget_exceeded" : "quota_exceeded", message);
    }

    /** Tokens, or micro-USD as dollars with the precision the amount needs ($500.00, $0.0001). */
    static String amount(boolean money, long value) {
        if (!money) return value + " tokens";
        java.math.BigDecimal usd = java.math.BigDecimal.valueOf(value, 6).stripTrailingZeros();
        return "$" + (usd.scale() < 2 ? usd.setScale(2) : usd).toPlainString();
    }

    static String inWords(java.time.Duration d) {
        if (d.toDays() >= 2) return d.toDays() + " days";
        if (d.toHours() >= 2) return d.toHours() + " hours";
        return Math.max(1, d.toMinutes() + (d.toSecondsPart() > 0 ? 1 : 0)) + " minutes";
    }

    static SpillwayException unavailable(QuotaStoreUnavailable u) {
        return new SpillwayException.Unavailable("The usage store is unreachable and the limit on "
                + u.limit().subject() + " fails closed (budgets do by default). Retry shortly.");
    }
}
