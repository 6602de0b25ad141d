package dev.spillway.gateway.batch;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.pipeline.Chain;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.Priority;
import dev.spillway.gateway.pipeline.Reply;
import dev.spillway.gateway.route.Delay;
import dev.spillway.gateway.route.pool.Pool;
import dev.spillway.gateway.route.pool.Pools;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Request tier, last before the router (after the cache, so a cached answer never waits): a
 * low-priority call ({@link PriorityPolicy}) waits, up to {@code deadline}, until its pool's PTU
 * tier has headroom (no interactive request waiting, utilization under {@code
 * batch.utilization-limit}); past the deadline it gets a 429 with {@code retry-after}. Its
 * requests/min and token reservation were taken before it waits, as for any admitted request.
 * Other classes pass. Stateless; shared.
 */
public final class PtuWaitPolicy implements Policy {
    /** How often a low-priority call waiting for PTU headroom looks again. */
    public static final Duration RECHECK = Duration.ofMillis(250);
    private final Pools pools;
    private final BatchConfig config;
    private final Clock clock;
    private final Delay delay;
    private final Duration deadline;
    private final Duration recheck;

    /** {@code recheck} is how often a waiting call looks at the PTU tier again. */
    public PtuWaitPolicy(Pools pools, BatchConfig config, Clock clock, Delay delay, Duration deadline,
            Duration recheck) {
        this.pools = pools;
        this.config = config;
        this.clock = clock;
        this.delay = delay;
        this.deadline = deadline;
        this.recheck = recheck;
    }

    @Override
    public Future<Reply> apply(Exchange exchange, Chain chain) {
        if (exchange.priority() != Priority.LOW) return chain.proceed(exchange);
        Optional<Pool> pool = pools.forRequest(exchange.deployment(), exchange.caller().app());
        if (pool.isEmpty()) return chain.proceed(exchange);
        return whenRoom(pool.get(), clock.millis() + deadline.toMillis()).compose(v -> chain.proceed(exchange));
    }

    private Future<Void> whenRoom(Pool pool, long until) {
        long now = clock.millis();
        if (pool.firstTierHasRoom(now, config.utilizationLimit() / 100.0)) return Future.succeededFuture();
        if (now + recheck.toMillis() > until) {
            return Future.failedFuture(new SpillwayException.RateLimited("The provisioned capacity had no headroom for "
                    + "this low-priority request within its deadline; retry later or send it as interactive.", recheck));
        }
        return delay.after(recheck.toMillis()).compose(v -> whenRoom(pool, until));
    }
}
