package dev.spillway.gateway.server;

import dev.spillway.gateway.auth.AuthenticatePolicy;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.ledger.Accounting;
import dev.spillway.gateway.pipeline.Operation;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.Pipeline;
import dev.spillway.gateway.pipeline.Reply;
import dev.spillway.gateway.route.BackendAuthPolicy;
import dev.spillway.gateway.route.BackendCall;
import dev.spillway.gateway.route.Backends;
import dev.spillway.gateway.route.MeterPolicy;
import dev.spillway.gateway.route.ModelsEndpoint;
import dev.spillway.gateway.route.Router;
import dev.spillway.gateway.route.TranslatePolicy;
import dev.spillway.gateway.telemetry.MetricsEndpoint;
import dev.spillway.gateway.validate.ValidatePolicy;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway process: its two pipeline tiers, the backends' clients and one HTTP server per event
 * loop, all sharing the same stateless policies. Start with {@link #start}; stop with {@link #close}.
 */
public final class GatewayServer {
    private final Vertx vertx;
    private final Backends backends;
    private final Accounting accounting;
    private final String deploymentId;
    private final int port;

    private GatewayServer(Vertx vertx, Backends backends, Accounting accounting, String deploymentId, int port) {
        this.vertx = vertx;
        this.backends = backends;
        this.accounting = accounting;
        this.deploymentId = deploymentId;
        this.port = port;
    }

    /** The request tier, outermost first, and the attempt tier the router runs per backend try. */
    static Pipeline pipeline(GatewayConfig config, Backends backends, Accounting accounting) {
        Pipeline attemptTier = new Pipeline(List.of(
                new TranslatePolicy(),
                new BackendAuthPolicy(),
                accounting.attemptPolicy(),
                new MeterPolicy()),
                new BackendCall(backends));
        Router router = new Router(config, attemptTier);
        ModelsEndpoint models = new ModelsEndpoint(config);
        List<Policy> requestTier = new ArrayList<>(accounting.requestPolicies());
        requestTier.add(new AuthenticatePolicy(config.keys()));
        requestTier.add(new ValidatePolicy(config));
        return new Pipeline(requestTier,
                exchange -> exchange.operation() == Operation.MODELS ? models(models) : router.handle(exchange));
    }

    private static Future<Reply> models(ModelsEndpoint models) {
        return Future.succeededFuture(Reply.json(200, models.body()));
    }

    public static Future<GatewayServer> start(Vertx vertx, GatewayConfig config) {
        return start(vertx, config, Runtime.getRuntime().availableProcessors(), Clock.systemUTC());
    }

    public static Future<GatewayServer> start(Vertx vertx, GatewayConfig config, int eventLoops, Clock clock) {
        return vertx.executeBlocking(() -> Accounting.open(config, clock))
                .compose(accounting -> start(vertx, config, eventLoops, clock, accounting)
                        .onFailure(e -> closeQuietly(accounting)));
    }

    private static Future<GatewayServer> start(Vertx vertx, GatewayConfig config, int eventLoops, Clock clock,
            Accounting accounting) {
        Backends backends = new Backends(vertx, config.backends());
        Pipeline pipeline = pipeline(config, backends, accounting);
        MetricsEndpoint metrics = accounting.metricsEndpoint(vertx);
        Health health = new Health();
        int port = config.port() == 0 && eventLoops > 1 ? freePort(config.host()) : config.port();
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
                        server = vertx.createHttpServer(options)
                                .requestHandler(new RequestHandler(vertx, config, pipeline, health, clock, metrics));
                        return server.listen().onSuccess(s -> bound[0] = s.actualPort());
                    }
                }, new DeploymentOptions().setInstances(Math.max(1, eventLoops)))
                .map(id -> {
                    accounting.startRetention(vertx);
                    health.ready(true);
                    return new GatewayServer(vertx, backends, accounting, id, bound[0]);
                });
    }

    private static int freePort(String host) {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public Future<Void> close() {
        return vertx.undeploy(deploymentId).compose(v -> backends.close())
                .compose(v -> vertx.executeBlocking(() -> {
                    accounting.close();
                    return null;
                }));
    }

    /** Ledger, metrics, traces and audit of this gateway (for the metrics gauges and admin handlers). */
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
