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
import dev.spillway.gateway.access.limit.Price;
import dev.spillway.gateway.access.limit.QuotaStore;
import dev.spillway.gateway.access.limit.QuotaStoreUnavailable;
import dev.spillway.gateway.access.limit.Reservation;
import dev.spillway.gateway.access.limit.TokenEstimate;
import dev.spillway.gateway.access.limit.Window;
import dev.spillway.gateway.pipeline.Chain;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.pipeline.Outcome;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.Reply;
import dev.spillway.gateway.pipeline.Usage;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Request tier: reserves the request's estimated tokens (characters / 4 plus {@code max_tokens}, no
 * tokenizer) and estimated cost against every token and money limit of its key, app, team and user
 * in one atomic store call, then settles to the usage the backend reported once the response is
 * done (or releases the hold if nothing was generated). Tokens per minute over the limit: 429;
 * an exhausted day/month quota or budget: 403; store down and a limit that fails closed: 503.
 * {@code max_tokens} above the cap is a 400. Shared; thread-safe.
 */
public final class QuotaPolicy implements Policy {
    static final String REMAINING_TOKENS = "x-ratelimit-remaining-tokens";

    private final QuotaStore store;
    private final LimitPlan plan;
    private final LimitsConfig config;

    public QuotaPolicy(QuotaStore store, LimitPlan plan, LimitsConfig config) {
        this.store = store;
        this.plan = plan;
        this.config = config;
    }

    @Override
    public Future<Reply> apply(Exchange exchange, Chain chain) {
        Optional<ObjectNode> body = exchange.body();
        if (exchange.operation() == Operation.MODELS || body.isEmpty()) return chain.proceed(exchange);
        TokenEstimate estimate = TokenEstimate.of(body.get(), maxTokens(body.get(), exchange.operation()),
                exchange.operation() != Operation.EMBEDDINGS);
        Optional<Price> price = config.price(exchange.deployment());
        LimitPlan.Subjects subjects = Subjects.of(exchange.caller());
        List<Charge> charges = new ArrayList<>();
        plan.tokens(subjects).forEach(l -> charges.add(Charge.hold(l, estimate.total())));
        long cost = price.map(p -> p.microUsd(estimate.prompt(), 0, estimate.completion())).orElse(0L);
        plan.budgets(subjects).forEach(l -> charges.add(Charge.hold(l, cost)));
        if (charges.isEmpty()) return chain.proceed(exchange);
        return Async.onContext(store.reserve(exchange.requestId(), charges))
                .recover(e -> Future.failedFuture(e instanceof QuotaStoreUnavailable u ? unavailable(u) : e))
                .compose(admission -> switch (admission) {
                    case Admission.Denied d -> Future.failedFuture(refusal(d));
                    case Admission.Granted g -> admitted(exchange, chain, g, estimate, price);
                });
    }

    private Future<Reply> admitted(Exchange exchange, Chain chain, Admission.Granted g, TokenEstimate estimate,
            Optional<Price> price) {
        exchange.onComplete(outcome -> finish(exchange, outcome, g.reservation(), estimate, price));
        return chain.proceed(exchange).map(reply -> {
            Long left = g.remaining().get(Metric.TOKENS);
            if (left != null) reply.headers().set(REMAINING_TOKENS, Long.toString(left));
            return reply;
        });
    }

    /** Settles to reported (or counted) usage; releases when no backend produced anything. */
    private void finish(Exchange exchange, Outcome outcome, Reservation r, TokenEstimate estimate, Optional<Price> price) {
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
        actual.put(Metric.MICRO_USD, price.map(p -> p.microUsd(prompt, cached, completion)).orElse(0L));
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

    private static SpillwayException refusal(Admission.Denied d) {
        Limit l = d.limit();
        if (l.window() == Window.MINUTE) {
            return new SpillwayException.RateLimited("Tokens per minute for " + l.subject() + " are limited to "
                    + l.capacity() + " and this request needs more than the " + d.remaining()
                    + " left. Retry after the time in retry-after-ms.", d.retryAfter(),
                    Map.of(REMAINING_TOKENS, Long.toString(d.remaining())));
        }
        String what = l.metric() == Metric.MICRO_USD ? "budget" : "token quota";
        String unit = l.metric() == Metric.MICRO_USD
                ? String.format("$%.2f", l.capacity() / 1_000_000.0) : l.capacity() + " tokens";
        return new SpillwayException.Forbidden(l.metric() == Metric.MICRO_USD ? "budget_exceeded" : "quota_exceeded",
                "The " + l.window().name().toLowerCase(java.util.Locale.ROOT) + "ly " + what + " of " + unit + " for "
                        + l.subject() + " is used up; it resets in " + d.retryAfter().toMinutes() + " minutes.");
    }

    static SpillwayException unavailable(QuotaStoreUnavailable u) {
        return new SpillwayException.Unavailable("The usage store is unreachable and the limit on "
                + u.limit().subject() + " fails closed (budgets do by default). Retry shortly.");
    }
}
