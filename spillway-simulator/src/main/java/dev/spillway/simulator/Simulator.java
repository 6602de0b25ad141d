package dev.spillway.simulator;

import dev.spillway.core.net.Ports;
import dev.spillway.simulator.chat.ChatResponder;
import dev.spillway.simulator.chat.ResponsesResponder;
import dev.spillway.simulator.embeddings.EmbeddingsResponder;
import dev.spillway.core.wire.Operation;
import dev.spillway.simulator.http.OperationHandler;
import dev.spillway.simulator.http.SimExchange;
import dev.spillway.simulator.http.SimulatorRouter;
import dev.spillway.simulator.limits.DeploymentLimiter;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.net.BindException;
import java.time.InstantSource;
import java.util.LinkedHashMap;
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
    private final String deploymentId;

    private Simulator(Vertx vertx, SimulatorConfig config, int port, String deploymentId) {
        this.vertx = vertx;
        this.config = config;
        this.port = port;
        this.deploymentId = deploymentId;
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
        return vertx.undeploy(deploymentId);
    }

    private static Map<String, SimulatorRouter.Target> targets(SimulatorConfig config, InstantSource clock) {
        Map<String, SimulatorRouter.Target> targets = new LinkedHashMap<>();
        for (DeploymentConfig d : config.deployments()) {
            SimExchange.Deployment deployment = new SimExchange.Deployment(d, DeploymentLimiter.of(d, clock));
            Map<Operation, OperationHandler> handlers;
            if (d.servesEmbeddings()) {
                handlers = Map.of(Operation.EMBEDDINGS, new EmbeddingsResponder(d, config.seed()));
            } else {
                ChatResponder chat = new ChatResponder(d);
                handlers = d.servesCompletions() ? Map.of(Operation.COMPLETIONS, chat)
                        : Map.of(Operation.CHAT_COMPLETIONS, chat, Operation.RESPONSES, new ResponsesResponder(chat));
            }
            targets.put(d.name(), new SimulatorRouter.Target(deployment, handlers));
        }
        return targets;
    }

    /**
     * Deploys one server per event loop on the same port (Vert.x shares a bound port among servers
     * in different verticles). Vert.x does not share port 0, so for "any free port" with several
     * event loops a free port is picked first; a lost race for it is retried.
     */
    private static Future<Simulator> listen(Vertx vertx, SimulatorConfig config, SimulatorRouter router) {
        return listen(vertx, config, router, 3);
    }

    private static Future<Simulator> listen(Vertx vertx, SimulatorConfig config, SimulatorRouter router, int tries) {
        boolean pick = config.port() == 0 && config.eventLoops() > 1;
        int port = pick ? Ports.freePort(config.host()) : config.port();
        AtomicInteger actual = new AtomicInteger();
        Future<Simulator> started = vertx.deployVerticle(() -> new Server(config.host(), port, actual, router),
                        new DeploymentOptions().setInstances(config.eventLoops()))
                .map(id -> new Simulator(vertx, config, actual.get(), id));
        if (!pick || tries <= 1) return started;
        return started.recover(e -> e instanceof BindException ? listen(vertx, config, router, tries - 1)
                : Future.failedFuture(e));
    }

    /** One HTTP server on one event loop; Vert.x spreads connections over the servers sharing a port. */
    private static final class Server extends VerticleBase {
        private final String host;
        private final int port;
        private final AtomicInteger actualPort;
        private final SimulatorRouter router;
        private HttpServer server;

        Server(String host, int port, AtomicInteger actualPort, SimulatorRouter router) {
            this.host = host;
            this.port = port;
            this.actualPort = actualPort;
            this.router = router;
        }

        @Override
        public Future<?> start() {
            HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port)
                    .setTcpNoDelay(true).setCompressionSupported(false).setIdleTimeout(0);
            server = vertx.createHttpServer(options).requestHandler(router);
            return server.listen().onSuccess(s -> actualPort.set(s.actualPort()));
        }

        @Override
        public Future<?> stop() {
            return server.close();
        }
    }
}
