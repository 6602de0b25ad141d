package dev.spillway.chat;

import dev.spillway.chat.auth.ChatOidcConfig;
import dev.spillway.chat.auth.SessionStore;
import dev.spillway.chat.flow.ChatModel;
import dev.spillway.chat.flow.FlowDefinition;
import dev.spillway.chat.flow.FlowListener;
import dev.spillway.chat.flow.GatewayChatModel;
import dev.spillway.chat.flow.LoggingFlowListener;
import dev.spillway.chat.flow.Orchestrator;
import dev.spillway.chat.history.HistoryStore;
import dev.spillway.chat.history.JdbcHistoryStore;
import dev.spillway.chat.telemetry.TurnTracer;
import dev.spillway.chat.web.AnswerStream;
import dev.spillway.chat.web.AuthRoutes;
import dev.spillway.chat.web.ChatRoutes;
import dev.spillway.chat.web.Responses;
import dev.spillway.chat.web.SecurityHeaders;
import dev.spillway.chat.web.SessionGuard;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.signin.LoginThrottle;
import dev.spillway.core.tls.TlsListener;
import dev.spillway.retrieval.Retriever;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import dev.spillway.core.net.ConnectionGuard;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat app's HTTP server: the static web UI from the jar, sign-in, the JSON API and the answer
 * stream. It reaches the model only through the gateway ({@link GatewayChatModel}). Start it with
 * {@link #start}; one per process, closed with {@link #close()}.
 */
public final class ChatServer {
    private static final Logger LOG = LoggerFactory.getLogger(ChatServer.class);
    private static final long MAX_BODY_BYTES = 64 * 1024;

    private final HttpServer server;
    private final HistoryStore history;
    private final TurnTracer tracer;

    private final Optional<TlsListener> tls;

    private ChatServer(HttpServer server, HistoryStore history, TurnTracer tracer, Optional<TlsListener> tls) {
        this.tls = tls;
        this.server = server;
        this.history = history;
        this.tracer = tracer;
    }

    /** Starts the server with the gateway-backed model, the flow from config, the system clock and tracing from config. */
    public static Future<ChatServer> start(Vertx vertx, ChatConfig config, Retriever retriever, DocumentPages pages) {
        return start(vertx, config, retriever, pages, TurnTracer.create("spillway-chat", config.otlpEndpoint()));
    }

    /** Starts with the gateway-backed model and the given tracer (which the server closes). */
    public static Future<ChatServer> start(Vertx vertx, ChatConfig config, Retriever retriever, DocumentPages pages,
                                           TurnTracer tracer) {
        ChatModel model = new GatewayChatModel(config.gatewayUrl(), config.deployment(), config.apiVersion(),
                config.gatewayKey(), config.modelTimeout(), config.gatewayCaFile());
        return start(vertx, config, retriever, pages, model, Clock.systemUTC(), new LoggingFlowListener(), tracer);
    }

    /** Starts with an explicit model, clock and step listener, without tracing (tests). */
    public static Future<ChatServer> start(Vertx vertx, ChatConfig config, Retriever retriever, DocumentPages pages,
                                           ChatModel model, Clock clock, FlowListener listener) {
        return start(vertx, config, retriever, pages, model, clock, listener, TurnTracer.none());
    }

    private static Future<ChatServer> start(Vertx vertx, ChatConfig config, Retriever retriever, DocumentPages pages,
                                            ChatModel model, Clock clock, FlowListener listener, TurnTracer tracer) {
        return vertx.executeBlocking(() -> JdbcHistoryStore.open(config.history(), clock), false)
                .compose(history -> listen(vertx, config, retriever, pages, model, clock, listener, tracer, history)
                        .onFailure(e -> history.close()));
    }

    private static Future<ChatServer> listen(Vertx vertx, ChatConfig config, Retriever retriever, DocumentPages pages,
                                             ChatModel model, Clock clock, FlowListener listener, TurnTracer tracer,
                                             HistoryStore history) {
        FlowDefinition flow = config.flowFile().map(FlowDefinition::load).orElseGet(FlowDefinition::builtIn);
        SessionStore sessions = new SessionStore(clock, new SecureRandom(), config.sessionTtl());
        SessionGuard guard = new SessionGuard(sessions, config.secureCookies());
        Optional<ChatOidcConfig.SignOn> oidc = config.oidc().map(o -> o.open(clock, new SecureRandom()));
        Orchestrator orchestrator = new Orchestrator(flow, model, retriever, config.historyTokenBudget(), clock,
                FlowListener.all(listener, tracer));

        Router router = Router.router(vertx);
        router.route().handler(new SecurityHeaders());
        router.route("/auth/*").handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES));
        router.route("/api/*").handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES)).handler(guard);
        LoginThrottle throttle = new LoginThrottle(clock, Math.max(1, Runtime.getRuntime().availableProcessors()));
        new AuthRoutes(config.users(), oidc, sessions, guard, throttle).mount(router);
        new ChatRoutes(history, pages, config.defaults(), config.exampleQuestions()).mount(router);
        new AnswerStream(orchestrator, history, config.defaults(), clock, tracer).mount(router);
        router.route("/api/*").handler(ctx -> ctx.fail(new SpillwayException.NotFound("not_found", "No such API route.")));
        router.route().handler(StaticHandler.create("webroot").setIndexPage("index.html").setCachingEnabled(false));
        router.route().failureHandler(ctx -> Responses.error(ctx, failure(ctx)));

        ConnectionGuard.checkDescriptors("chat", config.listener());
        HttpServerOptions options = ConnectionGuard.prepare(new HttpServerOptions()).setHost(config.host())
                .setPort(config.port()).setTcpNoDelay(true).setCompressionSupported(true);
        config.tls().ifPresent(tls -> TlsListener.secure(options, tls));
        Optional<TlsListener> tls = config.tls().map(t -> TlsListener.watch(vertx, t));
        ConnectionGuard connections = new ConnectionGuard(vertx, config.listener());
        return connections.install(vertx.createHttpServer(options), router).listen().map(server -> {
            tls.ifPresent(t -> t.add(server));
            LOG.info("chat app listening on {}://{}:{} (model via {})", tls.isPresent() ? "https" : "http",
                    config.host(), server.actualPort(), config.gatewayUrl());
            return new ChatServer(server, history, tracer, tls);
        }).onFailure(e -> tls.ifPresent(TlsListener::close));
    }

    /** The failure as one of our errors; Vert.x Web reports 404/405/413 as bare status codes. */
    private static Throwable failure(io.vertx.ext.web.RoutingContext ctx) {
        if (ctx.failure() != null) return ctx.failure();
        return switch (ctx.statusCode()) {
            case 413 -> new SpillwayException.PayloadTooLarge(MAX_BODY_BYTES);
            case 404 -> new SpillwayException.NotFound("not_found", "Not found.");
            case 405 -> new SpillwayException.MethodNotAllowed(ctx.request().method().name(), "the documented method");
            default -> new SpillwayException.InvalidRequest("The request could not be handled (" + ctx.statusCode() + ").");
        };
    }

    public int port() {
        return server.actualPort();
    }

    public Future<Void> close() {
        tls.ifPresent(TlsListener::close);
        return server.close().onComplete(r -> {
            history.close();
            try {
                tracer.close();
            } catch (Exception e) {
                LOG.warn("could not flush the chat app's traces: {}", e.getMessage());
            }
        });
    }
}
