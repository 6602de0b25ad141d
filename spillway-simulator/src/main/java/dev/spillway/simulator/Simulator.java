package dev.spillway.simulator;

import dev.spillway.simulator.chat.ChatResponder;
import dev.spillway.simulator.embeddings.EmbeddingsResponder;
import dev.spillway.simulator.http.SimExchange;
import dev.spillway.simulator.http.SimulatorRouter;
import dev.spillway.simulator.limits.DeploymentLimiter;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running simulated Azure OpenAI backend: an HTTP server on {@code event-loops} Vert.x event loops
 * sharing one port and one set of deployment limiters. Start with {@link #start}, stop with
 * {@link #close()}. Thread-safe; lives from start to close.
 */
public final class Simulator {
    private final Vertx vertx;
    private final SimulatorConfig config;
    private final int port;
    private final List<String> deploymentIds;

    private Simulator(Vertx vertx, SimulatorConfig config, int port, List<String> deploymentIds) {
        this.vertx = vertx;
        this.config = config;
        this.port = port;
        this.deploymentIds = List.copyOf(deploymentIds);
    }

    public static Future<Simulator> start(Vertx vertx, SimulatorConfig config) {
        return start(vertx, config, InstantSource.system());
    }

    /** Starts with an injected clock, which drives rate limits, PTU draining and {@code created}. */
    public static Future<Simulator> start(Vertx vertx, SimulatorConfig config, InstantSource clock) {
        // Loading the tokenizers takes a few hundred milliseconds: keep it off the event loop.
        return vertx.executeBlocking(() -> new SimulatorRouter(vertx, config, clock, targets(config, clock)), false)
                .compose(router -> listen(vertx, config, router));
    }

    public int port() {
        return port;
    }

    /** {@code http://HOST:PORT}, without a trailing slash. */
    public String baseUrl() {
        String host = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    public SimulatorConfig config() {
        return config;
    }

    public Future<Void> close() {
        List<Future<Void>> undeployed = new ArrayList<>();
        for (String id : deploymentIds) undeployed.add(vertx.undeploy(id));
        return Future.all(undeployed).mapEmpty();
    }

    private static Map<String, SimulatorRouter.Target> targets(SimulatorConfig config, InstantSource clock) {
        Map<String, SimulatorRouter.Target> targets = new LinkedHashMap<>();
        for (DeploymentConfig d : config.deployments()) {
            SimExchange.Deployment deployment = new SimExchange.Deployment(d, DeploymentLimiter.of(d, clock));
            targets.put(d.name(), d.servesEmbeddings()
                    ? new SimulatorRouter.Target(deployment, null, new EmbeddingsResponder(d, config.seed()))
                    : new SimulatorRouter.Target(deployment, new ChatResponder(d), null));
        }
        return targets;
    }

    /** Binds one server to learn the port (config port 0 = any free one), then the others to that port. */
    private static Future<Simulator> listen(Vertx vertx, SimulatorConfig config, SimulatorRouter router) {
        // Vert.x shares a listening socket between servers by their configured port, so port 0 on
        // several event loops would bind several sockets: pick one free port first.
        int wanted = config.port() == 0 && config.eventLoops() > 1 ? freePort(config.host()) : config.port();
        AtomicInteger port = new AtomicInteger(wanted);
        return vertx.deployVerticle(new Server(config.host(), port, router)).compose(first -> {
            if (config.eventLoops() == 1) return Future.succeededFuture(List.of(first));
            return vertx.deployVerticle(() -> new Server(config.host(), port, router),
                            new DeploymentOptions().setInstances(config.eventLoops() - 1))
                    .map(rest -> List.of(first, rest));
        }).map(ids -> new Simulator(vertx, config, port.get(), ids));
    }

    private static int freePort(String host) {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One HTTP server on one event loop; Vert.x spreads connections over the servers sharing a port. */
    private static final class Server extends VerticleBase {
        private final String host;
        private final AtomicInteger port;
        private final SimulatorRouter router;
        private HttpServer server;

        Server(String host, AtomicInteger port, SimulatorRouter router) {
            this.host = host;
            this.port = port;
            this.router = router;
        }

        @Override
        public Future<?> start() {
            HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port.get())
                    .setTcpNoDelay(true).setCompressionSupported(false).setIdleTimeout(0);
            server = vertx.createHttpServer(options).requestHandler(router);
            return server.listen().onSuccess(s -> port.set(s.actualPort()));
        }

        @Override
        public Future<?> stop() {
            return server.close();
        }
    }
}
