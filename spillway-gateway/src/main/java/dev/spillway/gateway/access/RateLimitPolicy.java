package dev.spillway.gateway.access;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.access.limit.Admission;
import dev.spillway.gateway.access.limit.Limit;
import dev.spillway.gateway.access.limit.LimitPlan;
import dev.spillway.gateway.access.limit.Metric;
import dev.spillway.gateway.access.limit.QuotaStoreUnavailable;
import dev.spillway.gateway.access.limit.RequestLimiter;
import dev.spillway.gateway.pipeline.Chain;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.Reply;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;

/**
 * Request tier: counts the request against every requests-per-minute limit of its key, app, team
 * and user. Over the limit is a 429 with {@code retry-after}/{@code retry-after-ms}; replies carry
 * Azure's {@code x-ratelimit-*-requests} trio by {@link RateLimitHeaders}' rule. Shared; thread-safe.
 */
public final class RateLimitPolicy implements Policy {
    private final RequestLimiter limiter;
    private final LimitPlan plan;
    private final Clock clock;

    public RateLimitPolicy(RequestLimiter limiter, LimitPlan plan, Clock clock) {
        this.limiter = limiter;
        this.plan = plan;
        this.clock = clock;
    }

    @Override
    public Future<Reply> apply(Exchange exchange, Chain chain) {
        List<Limit> limits = plan.requests(Subjects.of(exchange.caller()));
        if (limits.isEmpty()) return chain.proceed(exchange);
        return Async.onContext(limiter.acquire(exchange.requestId(), limits))
                .recover(e -> Future.failedFuture(e instanceof QuotaStoreUnavailable u ? QuotaPolicy.unavailable(u) : e))
                .compose(admission -> switch (admission) {
                    case Admission.Denied d -> Future.failedFuture(new SpillwayException.RateLimited(
                            "Requests per minute for " + d.limit().subject() + " are limited to " + d.limit().capacity()
                                    + ". Retry after the time in retry-after-ms.", d.retryAfter(),
                            RateLimitHeaders.refused(RateLimitHeaders.REQUESTS, d.limit(), 0, d.retryAfter())));
                    case Admission.Granted g -> chain.proceed(exchange).map(reply -> {
                        Admission.Headroom left = g.tightest().get(Metric.REQUESTS);
                        if (left != null) {
                            RateLimitHeaders.tighter(reply.headers(), RateLimitHeaders.REQUESTS, left, clock.instant());
                        }
                        return reply;
                    });
                });
    }
}
