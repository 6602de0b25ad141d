package dev.spillway.gateway.route;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.config.BackendConfig;
import dev.spillway.gateway.config.DeploymentConfig;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.pipeline.Attempt;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Pipeline;
import dev.spillway.gateway.pipeline.Reply;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Request tier terminal: tries the deployment's backends in order, running the attempt tier for
 * each, and fails over on throttling, server errors and transport failures. Failover only ever
 * happens before the reply is handed back, that is before any byte reaches the client. When every
 * backend fails, the last backend answer is passed through (a 429 keeps its retry headers), or the
 * last transport error is reported. Stateless; shared.
 */
public final class Router implements Pipeline.Terminal {
    private final GatewayConfig config;
    private final Pipeline attemptTier;

    public Router(GatewayConfig config, Pipeline attemptTier) {
        this.config = config;
        this.attemptTier = attemptTier;
    }

    @Override
    public Future<Reply> handle(Exchange exchange) {
        DeploymentConfig deployment = config.deployment(exchange.deployment())
                .orElseThrow(() -> SpillwayException.NotFound.deployment(exchange.deployment()));
        List<BackendConfig> candidates = deployment.backends().stream()
                .map(name -> config.backend(name).orElseThrow()).toList();
        return attempt(exchange, candidates, 0);
    }

    private Future<Reply> attempt(Exchange exchange, List<BackendConfig> candidates, int index) {
        BackendConfig backend = candidates.get(index);
        exchange.upstream(new Upstream(backend));
        long started = System.nanoTime();
        return attemptTier.run(exchange).transform(result -> {
            record(exchange, backend, started, result);
            boolean more = index + 1 < candidates.size();
            if (more && shouldRetry(result)) {
                discard(result);
                return attempt(exchange, candidates, index + 1);
            }
            if (result.succeeded()) exchange.backend(backend.name());
            return result.succeeded() ? Future.succeededFuture(result.result()) : Future.failedFuture(result.cause());
        });
    }

    /** The one retry decision: is another backend likely to do better than this answer? */
    static boolean shouldRetry(AsyncResult<Reply> result) {
        // A transport failure (refused, reset, timeout) says nothing about the request itself.
        if (result.failed()) return !(result.cause() instanceof SpillwayException.InvalidRequest);
        int status = result.result().status();
        // Throttled: another backend may have capacity now.
        if (status == 429) return true;
        // The backend is failing or overloaded; the request may be fine elsewhere.
        if (status == 500 || status == 502 || status == 503 || status == 504) return true;
        // Anything else (2xx, or a 4xx about the request itself) is the answer.
        return false;
    }

    private static void record(Exchange exchange, BackendConfig backend, long started, AsyncResult<Reply> result) {
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        int status = result.succeeded() ? result.result().status()
                : result.cause() instanceof SpillwayException s ? s.status() : 502;
        Optional<String> error = result.failed() ? Optional.of(String.valueOf(result.cause().getMessage())) : Optional.empty();
        exchange.attempts().add(new Attempt(backend.name(), status, took, error));
    }

    private static void discard(AsyncResult<Reply> result) {
        if (result.succeeded() && result.result().body() instanceof Reply.Body.Streamed s) s.cancel().run();
    }
}
