package dev.spillway.gateway.server;

import dev.spillway.core.net.Ports;
import dev.spillway.gateway.access.Access;
import dev.spillway.gateway.access.keys.KeysAdminApi;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.ledger.Accounting;
import dev.spillway.gateway.pipeline.Pipeline;
import dev.spillway.gateway.route.AdminEndpoint;
import dev.spillway.gateway.route.Routing;
import dev.spillway.gateway.ledger.UsageAdminHandler;
import dev.spillway.gateway.telemetry.BackendGauges;
import dev.spillway.gateway.telemetry.MetricsEndpoint;
import dev.spillway.gateway.route.pool.BackendStates;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Clock;
import java.util.Optional;

/**
 * The gateway process: its request lifecycle ({@link Lifecycle}), the backends' clients and one HTTP server per event
 * loop, all sharing the same stateless policies. Start with {@link #start}; stop with {@link #close}.
 */
public final class GatewayServer {
    private final Vertx vertx;
    private final Routing routing;
    private final Accounting accounting;
    private final String deploymentId;
    private final int port;
    private final Access access;

    private GatewayServer(Vertx vertx, Routing routing, String deploymentId, int port, Access access,
            Accounting accounting) {
        this.accounting = accounting;
        this.vertx = vertx;
        this.routing = routing;
        this.deploymentId = deploymentId;
        this.port = port;
        this.access = access;
    }

    public static Future<GatewayServer> start(Vertx vertx, GatewayConfig config) {
        return start(vertx, config, Runtime.getRuntime().availableProcessors(), Clock.systemUTC());
    }

    public static Future<GatewayServer> start(Vertx vertx, GatewayConfig config, int eventLoops, Clock clock) {
        return start(vertx, config, eventLoops, clock, Access.create(vertx, config.access(), clock));
    }

    /** Starts on the given access layer (its stores), which the server closes with itself. */
    public static Future<GatewayServer> start(Vertx vertx, GatewayConfig config, int eventLoops, Clock clock,
            Access access) {
        return vertx.executeBlocking(() -> Accounting.open(config, clock))
                .compose(accounting -> start(vertx, config, eventLoops, clock, access, accounting)
                        .onFailure(e -> closeQuietly(accounting)));
    }

    private static Future<GatewayServer> start(Vertx vertx, GatewayConfig config, int eventLoops, Clock clock,
            Access access, Accounting accounting) {
        Routing routing = new Routing(vertx, config, clock);
        Pipeline pipeline = Lifecycle.assemble(config, routing, access, accounting).requestTier();
        Optional<MetricsEndpoint> metrics = config.accounting().telemetry().metrics()
                ? Optional.of(accounting.metricsEndpoint(vertx)) : Optional.empty();
        accounting.metrics().beforeScrape(() -> BackendGauges.copy(routing.states().snapshot(), accounting.metrics()));
        Optional<UsageAdminHandler> usageAdmin = accounting.usageAdmin(vertx);
        Health health = new Health(routing.pools()::poolsWithoutHealthyBackend);
        AdminEndpoint backendsAdmin = new AdminEndpoint(config.admin().key(), routing.states());
        KeysAdminApi keysAdmin = access.adminApi();
        int port = config.port() == 0 && eventLoops > 1 ? Ports.freePort(config.host()) : config.port();
        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host())
                .setPort(port)
                .setTcpNoDelay(true)
                .setIdleTimeout(120)
                .setCompressionSupported(false);
        int[] bound = new int[1];
        return vertx.deployVerticle(() -> new VerticleBase() {
                    private HttpServer server;

                    @Override
                    public Future<?> start() {
                        RequestHandler api = new RequestHandler(vertx, config, pipeline, health, clock);
                        server = vertx.createHttpServer(options).requestHandler(request -> {
                            String path = request.path();
                            if ("/metrics".equals(path) && metrics.isPresent()) metrics.get().handle(request);
                            else if (UsageAdminHandler.PATH.equals(path) && usageAdmin.isPresent()) usageAdmin.get().handle(request);
                            else if (KeysAdminApi.owns(path)) keysAdmin.handle(request);
                            else if (path.startsWith(AdminEndpoint.PREFIX)) backendsAdmin.handle(request);
                            else api.handle(request);
                        });
                        return server.listen().onSuccess(s -> bound[0] = s.actualPort());
                    }
                }, new DeploymentOptions().setInstances(Math.max(1, eventLoops)))
                .map(id -> {
                    accounting.startRetention(vertx);
                    health.ready(true);
                    return new GatewayServer(vertx, routing, id, bound[0], access, accounting);
                });
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Each backend's live state, for the admin endpoint and metrics. */
    public BackendStates backendStates() {
        return routing.states();
    }

    public Future<Void> close() {
        return vertx.undeploy(deploymentId).compose(v -> routing.close()).andThen(v -> access.close())
                .compose(v -> vertx.executeBlocking(() -> {
                    accounting.close();
                    return null;
                }));
    }

    /** Ledger, metrics, traces and audit of this gateway (metrics gauges, the usage admin handler). */
    public Accounting accounting() {
        return accounting;
    }

    private static void closeQuietly(Accounting accounting) {
        try {
            accounting.close();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(GatewayServer.class).warn("closing accounting failed: {}", e.toString());
        }
    }
}
