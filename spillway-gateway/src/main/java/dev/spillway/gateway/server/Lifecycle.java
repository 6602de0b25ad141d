package dev.spillway.gateway.server;

import static dev.spillway.gateway.pipeline.Completion.AUDIT;
import static dev.spillway.gateway.pipeline.Completion.CACHE;
import static dev.spillway.gateway.pipeline.Completion.COUNT_USAGE;
import static dev.spillway.gateway.pipeline.Completion.END_TRACE;
import static dev.spillway.gateway.pipeline.Completion.RECORD_USAGE;
import static dev.spillway.gateway.pipeline.Completion.RELEASE_BODY;
import static dev.spillway.gateway.pipeline.Completion.SETTLE_QUOTA;

import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.access.Access;
import dev.spillway.gateway.access.Authenticator;
import dev.spillway.gateway.audit.AuditPolicy;
import dev.spillway.gateway.batch.PriorityPolicy;
import dev.spillway.gateway.batch.PtuWaitPolicy;
import dev.spillway.gateway.cache.CachePolicy;
import dev.spillway.gateway.cache.Caches;
import dev.spillway.gateway.config.DeploymentConfig;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.ledger.Accounting;
import dev.spillway.gateway.ledger.UsagePolicy;
import dev.spillway.gateway.pipeline.Completion;
import dev.spillway.gateway.pipeline.Pipeline;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.Reply;
import dev.spillway.gateway.route.BackendAuthPolicy;
import dev.spillway.gateway.route.BackendCall;
import dev.spillway.gateway.route.MeterPolicy;
import dev.spillway.gateway.route.ModelsEndpoint;
import dev.spillway.gateway.route.Router;
import dev.spillway.gateway.route.Routing;
import dev.spillway.gateway.route.TranslatePolicy;
import dev.spillway.gateway.route.breaker.CircuitBreakerPolicy;
import dev.spillway.gateway.safety.ExternalCheck;
import dev.spillway.gateway.safety.SafetyEvents;
import dev.spillway.gateway.safety.SafetyPolicy;
import dev.spillway.gateway.telemetry.AttemptSpanPolicy;
import dev.spillway.gateway.telemetry.TracePolicy;
import dev.spillway.gateway.validate.ValidatePolicy;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The life of one request, in one place: authentication on the headers before the body is read
 * (so a caller without a valid credential never has a body buffered, ledgered or audited), the
 * request tier (once per client request, outermost first), the attempt tier (once per backend try, run by the router inside its failover loop) and
 * the order of the work done once the response has been written. docs/pipeline.md draws it;
 * LifecycleTest pins it. Built at startup and again by each config reload (a new Generation);
 * the pipelines are immutable and shared by the requests of their generation.
 */
public record Lifecycle(Authenticator authenticate, Pipeline requestTier, Pipeline attemptTier) {
    /**
     * What runs once the response is complete (just before its last byte, which waits for the
     * records with {@code durability: strict}: {@code Exchange.completeBeforeEnd}) or failed, in
     * this order. Count first: a stream cut
     * before its usage chunk gets its tokens counted, so quota, ledger, audit and trace all see the
     * same final usage. Settle the quota next, so the caller's limits are right as early as
     * possible. Then the ledger record (the money), the audit record, the cache entry (once every
     * answer guard has had its say, so a filtered answer is never kept), and the span last, so its
     * duration covers the whole request. The body's bytes go back to the in-flight budget only
     * after all of them, since the audit and the usage record may still read the body.
     */
    public static final List<Completion> COMPLETION_ORDER =
            List.of(COUNT_USAGE, SETTLE_QUOTA, RECORD_USAGE, AUDIT, CACHE, END_TRACE, RELEASE_BODY);

    static Lifecycle assemble(GatewayConfig config, Routing routing, Access access, Accounting accounting,
            ExternalCheck contentSafety, Caches caches) {
        Pipeline attemptTier = new Pipeline(List.of(
                new CircuitBreakerPolicy(routing.states()),
                new TranslatePolicy(config.access().limits().maxTokensCap(), config.limits().forwardSimHeaders()),
                new BackendAuthPolicy(routing.identities()),
                new AttemptSpanPolicy(routing.clock()),
                new MeterPolicy()),
                new BackendCall(routing.backends()));
        Router router = new Router(routing.pools(), attemptTier, config.routing(), routing.clock(), routing.delay());
        ModelsEndpoint models = new ModelsEndpoint(config);
        List<Policy> requestTier = new ArrayList<>();
        requestTier.add(new TracePolicy(accounting.tracer(), routing.clock()));
        accounting.auditSink().ifPresent(sink -> requestTier.add(new AuditPolicy(config.accounting().audit(), sink)));
        requestTier.add(new UsagePolicy(accounting.requestLedger(), config.accounting().prices(), accounting.metrics(),
                config::backend, config.accounting().ledger().durability()));
        requestTier.add(new ValidatePolicy(config));
        requestTier.add(access.authorize());
        requestTier.add(new SafetyPolicy(config.safety(), safetyMetrics(accounting), contentSafety));
        requestTier.add(new PriorityPolicy(config.batch()));
        requestTier.add(access.rateLimit());
        requestTier.add(access.quota(config.accounting().prices(),
                alias -> config.deployment(alias).map(DeploymentConfig::backends).orElse(List.of())));
        if (config.cache().anyEnabled()) {
            requestTier.add(new CachePolicy(config.cache(), caches.store(), caches.index(), accounting.metrics(),
                    routing.clock()));
        }
        // After the cache: a low-priority call whose answer is cached is served without waiting.
        requestTier.add(new PtuWaitPolicy(routing.pools(), config.batch(), routing.clock(), routing.delay(),
                config.routing().deadline(), PtuWaitPolicy.RECHECK));
        return new Lifecycle(access.authenticator(config.keys()), new Pipeline(requestTier, exchange -> exchange.operation() == Operation.MODELS
                ? Future.succeededFuture(Reply.json(200, models.body(exchange.caller()))) : router.handle(exchange)),
                attemptTier);
    }

    private static SafetyEvents safetyMetrics(Accounting accounting) {
        return (app, f) -> accounting.metrics().safetyFinding(app, f.side().name().toLowerCase(Locale.ROOT),
                f.check().name().toLowerCase(Locale.ROOT).replace('_', '-'), f.rule(),
                f.action().name().toLowerCase(Locale.ROOT));
    }
}
