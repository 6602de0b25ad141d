package dev.spillway.gateway.route;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.config.RoutingConfig;
import dev.spillway.gateway.pipeline.Attempt;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Pipeline;
import dev.spillway.gateway.pipeline.Priority;
import dev.spillway.gateway.pipeline.Reply;
import dev.spillway.gateway.route.pool.BackendState;
import dev.spillway.gateway.route.pool.Pick;
import dev.spillway.gateway.route.pool.Pool;
import dev.spillway.gateway.route.pool.Pools;
import dev.spillway.gateway.route.pool.RequestEstimate;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Request tier terminal: picks a backend from the caller's pool, runs the attempt tier for it, and
 * on throttling, server errors and transport failures tries the next one, within the attempt
 * limit, the retry budgets and the request's deadline. A 429 cools its backend for its Retry-After
 * and the next backend is tried at once; when every backend is cooling, the router waits for the
 * earliest if the deadline allows, else answers 429 with that time. Failover happens only before
 * the reply is handed back, that is before any byte reaches the client. Stateless; shared.
 */
public final class Router implements Pipeline.Terminal {
    private final Pools pools;
    private final Pipeline attemptTier;
    private final RoutingConfig routing;
    private final Clock clock;
    private final Delay delay;

    public Router(Pools pools, Pipeline attemptTier, RoutingConfig routing, Clock clock, Delay delay) {
        this.pools = pools;
        this.attemptTier = attemptTier;
        this.routing = routing;
        this.clock = clock;
        this.delay = delay;
    }

    @Override
    public Future<Reply> handle(Exchange exchange) {
        Pool pool = pools.forRequest(exchange.deployment(), exchange.caller().app())
                .orElseThrow(() -> SpillwayException.NotFound.deployment(exchange.deployment()));
        long tokens = RequestEstimate.tokens(exchange, routing.spillover().defaultCompletionTokens());
        return next(new Route(exchange, pool, tokens, clock.millis() + routing.deadline().toMillis()));
    }

    /** One request's progress through its pool. Confined to the request's event loop. */
    private static final class Route {
        final Exchange exchange;
        final Pool pool;
        final long tokens;
        final long deadline;
        long tried;
        int attempts;
        boolean lastThrottled;
        AsyncResult<Reply> last;

        Route(Exchange exchange, Pool pool, long tokens, long deadline) {
            this.exchange = exchange;
            this.pool = pool;
            this.tokens = tokens;
            this.deadline = deadline;
        }
    }

    private Future<Reply> next(Route r) {
        long now = clock.millis();
        if (r.attempts >= routing.maxAttempts() || (r.attempts > 0 && now >= r.deadline)) return finish(r);
        return switch (r.pool.pick(r.tried, r.tokens, now, r.exchange.firstTierOnly())) {
            case Pick.Go go -> send(r, go, now);
            case Pick.Wait wait -> waitFor(r, wait.untilMillis(), now);
            case Pick.None none -> finish(r);
        };
    }

    private Future<Reply> send(Route r, Pick.Go go, long now) {
        BackendState b = go.backend();
        // A retry that is not a spill after a 429 spends the target's retry budget; skip it when empty.
        if (r.attempts > 0 && !r.lastThrottled && !b.retryBudget().tryRetry(now)) {
            r.tried |= 1L << go.index();
            return next(r);
        }
        Upstream up = new Upstream(b.config());
        long left = Math.max(1, r.deadline - now);
        if (up.firstByteTimeout().toMillis() > left) up.firstByteTimeout(Duration.ofMillis(left));
        r.exchange.upstream(up);
        b.dispatched(r.tokens, now);
        long started = System.nanoTime();
        return attemptTier.run(r.exchange).transform(result -> {
            long took = System.nanoTime() - started;
            b.answered(took / 1000);
            r.attempts++;
            record(r.exchange, b, took, result);
            boolean throttled = observe(b, result);
            if (!shouldRetry(result)) {
                discard(r.last);
                r.exchange.backend(b.name());
                return Future.succeededFuture(result.result());
            }
            discard(r.last);
            r.last = result;
            r.lastThrottled = throttled;
            if (!throttled) r.tried |= 1L << go.index();
            return next(r);
        });
    }

    private Future<Reply> waitFor(Route r, long until, long now) {
        long wait = until - now;
        if (until > r.deadline || wait > routing.maxCooldownWait().toMillis()) {
            discard(r.last);
            return Future.failedFuture(new SpillwayException.RateLimited("Every backend of deployment '"
                    + r.exchange.deployment() + "' is throttled; retry after the time given.", Duration.ofMillis(wait)));
        }
        // Queued work waits while an interactive request does (Pool.firstTierHasRoom).
        boolean interactive = r.exchange.priority() == Priority.INTERACTIVE;
        if (interactive) r.pool.interactiveWaiting(1);
        return delay.after(wait).andThen(v -> {
            if (interactive) r.pool.interactiveWaiting(-1);
        }).compose(v -> next(r));
    }

    private Future<Reply> finish(Route r) {
        if (r.last == null) {
            return Future.failedFuture(new SpillwayException.Unavailable("No backend of deployment '"
                    + r.exchange.deployment() + "' can take the request now (all ejected, open or tried)."));
        }
        if (r.last.failed()) return Future.failedFuture(r.last.cause());
        return Future.succeededFuture(r.last.result());
    }

    /** Updates the backend's state from the attempt; true when it throttled (429). */
    private boolean observe(BackendState b, AsyncResult<Reply> result) {
        long now = clock.millis();
        if (result.failed()) {
            if (!(result.cause() instanceof SpillwayException.Unavailable)) b.failed();
            return false;
        }
        Reply reply = result.result();
        QuotaHeaders.observe(b, reply.headers(), now);
        if (reply.status() == 429) {
            b.throttled(now + QuotaHeaders.retryAfterMillis(reply.headers(), routing.spillover()), now);
            return true;
        }
        if (reply.status() >= 500) b.failed();
        else b.succeeded();
        return false;
    }

    /** The one retry decision: is another backend likely to do better than this answer? */
    static boolean shouldRetry(AsyncResult<Reply> result) {
        // A transport failure (refused, reset, timeout) or an open breaker says nothing about the request.
        if (result.failed()) return !(result.cause() instanceof SpillwayException.InvalidRequest);
        int status = result.result().status();
        // Throttled: another backend may have capacity now.
        if (status == 429) return true;
        // The backend is failing or overloaded; the request may be fine elsewhere.
        if (status == 500 || status == 502 || status == 503 || status == 504) return true;
        // Anything else (2xx, or a 4xx about the request itself) is the answer.
        return false;
    }

    private static void record(Exchange exchange, BackendState backend, long tookNanos, AsyncResult<Reply> result) {
        int status = result.succeeded() ? result.result().status()
                : result.cause() instanceof SpillwayException s ? s.status() : 502;
        Optional<String> error = result.failed() ? Optional.of(String.valueOf(result.cause().getMessage())) : Optional.empty();
        exchange.attempts().add(new Attempt(backend.name(), status, Duration.ofNanos(tookNanos), error));
    }

    private static void discard(AsyncResult<Reply> result) {
        if (result != null && result.succeeded() && result.result().body() instanceof Reply.Body.Streamed s) s.cancel().run();
    }
}
