package dev.spillway.gateway.server;

import dev.spillway.core.net.Ports;
import dev.spillway.core.limit.InFlightBudget;
import dev.spillway.core.net.ConnectionGuard;
import dev.spillway.core.net.ListenerLimits;
import dev.spillway.core.tls.TlsListener;
import dev.spillway.gateway.access.Access;
import dev.spillway.gateway.cache.CacheAdminApi;
import dev.spillway.gateway.cache.Caches;
import dev.spillway.gateway.config.ServerLimits;
import dev.spillway.gateway.access.keys.KeysAdminApi;
import dev.spillway.gateway.batch.BatchLane;
import static java.util.stream.Collectors.toSet;

import dev.spillway.gateway.config.BackendConfig;
import dev.spillway.gateway.config.DeploymentConfig;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.console.Console;
import dev.spillway.gateway.signin.WebSignIn;
import dev.spillway.gateway.ledger.Accounting;
import dev.spillway.gateway.route.AdminEndpoint;
import dev.spillway.gateway.route.Routing;
import dev.spillway.gateway.ledger.UsageAdminHandler;
import dev.spillway.gateway.portal.PortalEndpoint;
import dev.spillway.gateway.telemetry.BackendGauges;
import dev.spillway.gateway.telemetry.MetricsEndpoint;
import dev.spillway.gateway.route.pool.BackendStates;
import dev.spillway.gateway.safety.ContentSafetyClient;
import dev.spillway.gateway.vault.KeyVaultSecrets;
import dev.spillway.gateway.pipeline.Pipeline;
import dev.spillway.gateway.reload.ConfigRoster;
import dev.spillway.gateway.reload.ConfigSource;
import dev.spillway.gateway.reload.ReloadOutcome;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gateway process: its request lifecycle ({@link Lifecycle}), the backends' clients and one HTTP server per event
 * loop, all sharing the same stateless policies. The config in force is one {@link Generation}, which a reload of
 * the watched file ({@link #watch}) replaces whole. Start with {@link #start}; stop with {@link #close}.
 */
public final class GatewayServer {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GatewayServer.class);
    private final Vertx vertx;
    /** The config snapshot in force; a reload swaps it (ConfigReloader). */
    private final AtomicReference<Generation> current;
    private final Accounting accounting;
    private final ContentSafetyClient contentSafety;
    private final String deploymentId;
    private final int port;
    private final int healthPort;
    /** The health listener's own limits: few clients (load balancers, orchestrators) need it. */
    private static final ListenerLimits HEALTH_LISTENER = new ListenerLimits(Duration.ofSeconds(10),
            Duration.ofSeconds(120), 256, 64);
    private final Optional<TlsListener> tls;
    private final BatchLane lane;
    private final Caches caches;
    /** Request bodies held; each goes back as its request's last completion step (Lifecycle.COMPLETION_ORDER). */
    private final InFlightBudget bodies;
    /** How long {@link #close} waits for answered requests to finish their ledger, audit and cache steps. */
    private static final Duration DRAIN = Duration.ofSeconds(10);
    private final Clock clock;
    private final AtomicReference<Optional<ConfigReloader>> reloader;

    private GatewayServer(Vertx vertx, AtomicReference<Generation> current, String deploymentId, int port,
            int healthPort, Accounting accounting, ContentSafetyClient contentSafety, Optional<TlsListener> tls,
            BatchLane lane, Caches caches, InFlightBudget bodies, Clock clock,
            AtomicReference<Optional<ConfigReloader>> reloader) {
        this.current = current;
        this.contentSafety = contentSafety;
        this.clock = clock;
        this.reloader = reloader;
        this.caches = caches;
        this.bodies = bodies;
        this.healthPort = healthPort;
        this.tls = tls;
        this.lane = lane;
        this.accounting = accounting;
        this.vertx = vertx;
        this.deploymentId = deploymentId;
        this.port = port;
    }

    public static Future<GatewayServer> start(Vertx vertx, GatewayConfig config) {
        return start(vertx, config, Runtime.getRuntime().availableProcessors(), Clock.systemUTC());
    }

    /** Fetches the config's Key Vault secrets first, since the access layer's stores may need them. */
    public static Future<GatewayServer> start(Vertx vertx, GatewayConfig config, int eventLoops, Clock clock) {
        StartupTimer timer = new StartupTimer();
        return KeyVaultSecrets.open(vertx, config.keyVault(), config.identity(), clock).compose(vault -> {
            timer.phase("key vault");
            Access access = Access.create(vertx, config.access(), clock);
            timer.phase("access (key store, limits)");
            return start(vertx, config, eventLoops, clock, access, vault, timer);
        });
    }

    /** Starts on the given access layer (its stores), which the server closes with itself. */
    public static Future<GatewayServer> start(Vertx vertx, GatewayConfig config, int eventLoops, Clock clock,
            Access access) {
        StartupTimer timer = new StartupTimer();
        return KeyVaultSecrets.open(vertx, config.keyVault(), config.identity(), clock)
                .compose(vault -> start(vertx, config, eventLoops, clock, access, vault, timer));
    }

    private static Future<GatewayServer> start(Vertx vertx, GatewayConfig config, int eventLoops, Clock clock,
            Access access, Optional<KeyVaultSecrets> vault, StartupTimer timer) {
        return vertx.executeBlocking(() -> Accounting.open(config, clock))
                .compose(accounting -> start(vertx, config, eventLoops, clock, access, accounting, vault,
                                timer.phased("accounting (ledger, telemetry, audit)"))
                        .onSuccess(server -> {
                            if (vault.isPresent()) KeyVaultSecrets.bind(accounting.metrics(), () -> server.current.get().vault);
                        })
                        .onFailure(e -> closeQuietly(accounting)))
                .onFailure(e -> vault.ifPresent(KeyVaultSecrets::close));
    }

    private static Future<GatewayServer> start(Vertx vertx, GatewayConfig config, int eventLoops, Clock clock,
            Access access, Accounting accounting, Optional<KeyVaultSecrets> vault, StartupTimer timer) {
        // Set just below; the cache's own calls (a deployment as its semantic model) run on it.
        AtomicReference<Generation> current = new AtomicReference<>();
        Caches caches;
        try {
            caches = Caches.open(config.cache(), config.access(), config.accounting().dataDir(), clock,
                    new SelfCalls(vertx, current, clock));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        Routing routing = new Routing(vertx, config, clock);
        ContentSafetyClient contentSafety = new ContentSafetyClient(vertx);
        Lifecycle lifecycle = Lifecycle.assemble(config, routing, access, accounting, contentSafety, caches);
        current.set(new Generation(config, lifecycle, routing, access, vault, Future.succeededFuture()));
        Pipeline lines = access.batchLines(new Pipeline(List.of(), exchange -> {
            Generation g = enter(current, current.get());
            return g.lifecycle.requestTier().run(exchange).andThen(done -> g.leave());
        }), clock);
        timer.phase("caches, routing, pipeline");
        return BatchLane.open(vertx, config, () -> current.get().routing.pools(), lines,
                        () -> current.get().lifecycle.authenticate(), clock, accounting.metrics())
                .compose(lane -> serve(vertx, config, eventLoops, clock, current, accounting, contentSafety, lane,
                        caches, timer.phased("batch lane")).onFailure(e -> {
                            lane.close();
                            caches.close();
                        }));
    }

    /** Counts a request into {@code taken}, or into the generation in force if {@code taken} has closed since. */
    static Generation enter(AtomicReference<Generation> current, Generation taken) {
        if (taken.enter()) return taken;
        for (;;) {
            Generation now = current.get();
            if (now.enter()) return now;
        }
    }

    private static Future<GatewayServer> serve(Vertx vertx, GatewayConfig config, int eventLoops, Clock clock,
            AtomicReference<Generation> current, Accounting accounting, ContentSafetyClient contentSafety,
            BatchLane lane, Caches caches, StartupTimer timer) {
        Generation first = current.get();
        Routing routing = first.routing;
        Access access = first.access;
        AtomicReference<Optional<ConfigReloader>> reloader = new AtomicReference<>(Optional.empty());
        ServerLimits limits = config.limits();
        ConnectionGuard.checkDescriptors("gateway", limits.listener());
        warnIfHeapTooSmall(config);
        InFlightBudget bodies = new InFlightBudget(limits.maxInFlightBytes().bytes());
        BodyReader.Limits bodyLimits = new BodyReader.Limits(config.maxBodySize().bytes(), config.bodyTimeout(),
                limits.minBodyRate().bytes(), limits.minBodyRateGrace(), bodies);
        Rejections rejections = new Rejections(accounting.metrics(), clock);
        ConnectionGuard guard = new ConnectionGuard(vertx, limits.listener());
        bindLimitGauges(accounting, bodies, guard);
        Optional<MetricsEndpoint> metrics = config.accounting().telemetry().metrics()
                ? Optional.of(accounting.metricsEndpoint(vertx)) : Optional.empty();
        routing.sharing().ifPresent(s -> s.bind(accounting.metrics()));
        ConfigRoster.bind(accounting.metrics(), reloader, r -> r.get().map(ConfigReloader::roster));
        accounting.metrics().beforeScrape(() -> BackendGauges.copy(routing.states().snapshot(), accounting.metrics()));
        Optional<UsageAdminHandler> usageAdmin = accounting.usageAdmin(vertx);
        Health health = new Health(() -> current.get().routing.pools().poolsWithoutHealthyBackend());
        AdminEndpoint backendsAdmin = new AdminEndpoint(config.admin().key(), routing.states());
        KeysAdminApi keysAdmin = access.adminApi();
        CacheAdminApi cacheAdmin = new CacheAdminApi(config.admin().key(), caches);
        Optional<dev.spillway.core.config.Secret> adminKey = config.admin().key();
        WebSignIn signIn = WebSignIn.open(config, access.jwtVerifier(), clock);
        PortalEndpoint portal = new PortalEndpoint(vertx, () -> current.get().config,
                () -> current.get().lifecycle.authenticate(), signIn, access.keys(),
                accounting.usageStore(), clock);
        Optional<Console> console = Console.open(vertx, config, signIn, access.keys(), accounting, routing.states(), clock);
        int port = config.port() == 0 && eventLoops > 1 ? Ports.freePort(config.host()) : config.port();
        HttpServerOptions options = ConnectionGuard.prepare(new HttpServerOptions())
                .setHost(config.host())
                .setPort(port)
                .setTcpNoDelay(true)
                .setIdleTimeout((int) limits.listener().keepAliveTimeout().toSeconds())
                .setCompressionSupported(false);
        int[] bound = {0, -1};
        Optional<HttpServerOptions> healthOptions = limits.healthPort().map(p -> new HttpServerOptions(options)
                .setPort(p == 0 && eventLoops > 1 ? Ports.freePort(config.host()) : p));
        ConnectionGuard healthGuard = new ConnectionGuard(vertx, HEALTH_LISTENER);
        // The health listener (copied above) stays plain HTTP; the API listener serves TLS when configured.
        config.tls().ifPresent(t -> TlsListener.secure(options, t));
        Optional<TlsListener> tls = config.tls().map(t -> TlsListener.watch(vertx, t));
        tls.ifPresent(t -> accounting.metrics().bind("spillway.tls.certificate.expiry.timestamp.seconds",
                "When the gateway's serving certificate expires (seconds since the epoch)", t,
                TlsListener::expiresAtEpochSeconds));
        return vertx.deployVerticle(() -> new VerticleBase() {
                    private HttpServer server;

                    @Override
                    public Future<?> start() {
                        RequestHandler api = new RequestHandler(vertx, current, bodyLimits, rejections, health, clock);
                        server = guard.install(vertx.createHttpServer(options), request -> {
                            String path = request.path();
                            if ("/metrics".equals(path) && metrics.isPresent()) metrics.get().handle(request);
                            else if (UsageAdminHandler.PATH.equals(path) && usageAdmin.isPresent()) usageAdmin.get().handle(request);
                            else if (KeysAdminApi.owns(path)) keysAdmin.handle(request);
                            else if (CacheAdminApi.PATH.equals(path)) cacheAdmin.handle(request);
                            else if (ConfigAdminApi.owns(path)) new ConfigAdminApi(adminKey, reloader.get()).handle(request);
                            else if (lane.owns(path)) lane.handle(request);
                            else if (PortalEndpoint.owns(path)) portal.handle(request);
                            else if (path.startsWith(AdminEndpoint.PREFIX)) backendsAdmin.handle(request);
                            else if (console.isPresent() && Console.owns(path)) console.get().handle(request);
                            else api.handle(request);
                        });
                        tls.ifPresent(t -> t.add(server));
                        Future<?> main = server.listen().onSuccess(s -> bound[0] = s.actualPort());
                        if (healthOptions.isEmpty()) return main;
                        HttpServer probes = healthGuard.install(vertx.createHttpServer(healthOptions.get()), request ->
                                api.handleHealthOnly(request));
                        tls.ifPresent(t -> t.add(probes));
                        return main.compose(m -> probes.listen().onSuccess(s -> bound[1] = s.actualPort()));
                    }
                }, new DeploymentOptions().setInstances(Math.max(1, eventLoops)))
                .map(id -> {
                    accounting.startRetention(vertx);
                    accounting.startBudgetAlerts(vertx);
                    accounting.startRollups(vertx, routing.states()::snapshot);
                    lane.start();
                    health.ready(true);
                    timer.phase("listen");
                    LOG.info("{}", timer.summary());
                    return new GatewayServer(vertx, current, id, bound[0], bound[1], accounting, contentSafety, tls,
                            lane, caches, bodies, clock, reloader);
                })
                .onFailure(e -> tls.ifPresent(TlsListener::close));
    }

    /**
     * Applies changes to {@code source} (the file this gateway was started from, read as
     * {@code first}) without a restart: checked every {@code reload.interval}, and on
     * {@link #reloadConfig} ({@code POST /admin/config/reload}, SIGHUP). Call once, after start.
     */
    public void watch(ConfigSource source, ConfigSource.Loaded first) {
        ConfigReloader r = new ConfigReloader(vertx, source, first, current, this::nextGeneration, clock,
                accounting.metrics());
        if (!reloader.compareAndSet(Optional.empty(), Optional.of(r))) throw new IllegalStateException("watched already");
        GatewayConfig config = current.get().config;
        if (config.reload().watched()) r.watch(config.reload().interval());
    }

    /** Reloads the watched config file now; fails when {@link #watch} was not called. */
    public Future<ReloadOutcome> reloadConfig() {
        return reloader.get().map(ConfigReloader::reload)
                .orElseGet(() -> Future.failedFuture("the gateway was not started from a watched config file"));
    }

    /** The config in force now (what requests arriving now run on). */
    public GatewayConfig config() {
        return current.get().config;
    }

    private Generation nextGeneration(Generation before, GatewayConfig config, Optional<KeyVaultSecrets> vault) {
        accounting.metrics().know(config.deployments().stream().map(DeploymentConfig::name).collect(toSet()),
                config.backends().stream().map(BackendConfig::name).collect(toSet()));
        Routing routing = before.routing.reconfigured(config);
        Access access = before.access.reconfigured(config.access());
        Lifecycle lifecycle = Lifecycle.assemble(config, routing, access, accounting, contentSafety, caches);
        accounting.reprice(config.accounting().prices()); // last: nothing after it can refuse the reload
        return new Generation(config, lifecycle, routing, access, vault, before.closed());
    }

    public int port() {
        return port;
    }

    /** The port of the separate health listener ({@code health-port}), or -1 without one. */
    public int healthPort() {
        return healthPort;
    }

    /** {@code https://127.0.0.1:port} when the listener has TLS, else {@code http://...}. */
    public String baseUrl() {
        return (tls.isPresent() ? "https" : "http") + "://127.0.0.1:" + port;
    }

    /** What this replica shares with the others about backends; empty without a shared store. */
    public Optional<dev.spillway.gateway.route.share.BackendSharing> sharing() {
        return current.get().routing.sharing();
    }

    /** Each backend's live state, for the admin endpoint and metrics. */
    public BackendStates backendStates() {
        return current.get().routing.states();
    }

    public Future<Void> close() {
        tls.ifPresent(TlsListener::close);
        reloader.get().ifPresent(ConfigReloader::close);
        Generation last = current.get();
        last.vault.ifPresent(KeyVaultSecrets::close);
        return vertx.undeploy(deploymentId).compose(v -> drained(System.nanoTime() + DRAIN.toNanos()))
                .compose(v -> last.routing.close()).andThen(v -> last.access.close())
                .compose(v -> vertx.executeBlocking(() -> {
                    lane.close();
                    caches.close();
                    accounting.close();
                    return null;
                }));
    }

    /**
     * Completes once every request the listener took has run its completion steps (a client may
     * have its answer before its usage and audit records are written), or at {@code deadline}.
     */
    private Future<Void> drained(long deadline) {
        if (bodies.used() == 0) return Future.succeededFuture();
        if (System.nanoTime() - deadline > 0) {
            LOG.warn("closing with {} bytes of requests still finishing after {}", bodies.used(), DRAIN);
            return Future.succeededFuture();
        }
        Promise<Void> next = Promise.promise();
        vertx.setTimer(5, id -> drained(deadline).onComplete(next));
        return next.future();
    }

    /** Ledger, metrics, traces and audit of this gateway (metrics gauges, the usage admin handler). */
    public Accounting accounting() {
        return accounting;
    }

    /** The low-priority lane: Files and Batches API, queue and scheduler. */
    public BatchLane batchLane() {
        return lane;
    }


    /** Says so at start when the heap cannot hold what the configured bounds allow in memory. */
    private static void warnIfHeapTooSmall(GatewayConfig config) {
        long needed = config.limits().heapNeeded(config.accounting().audit().maxInFlight());
        long max = Runtime.getRuntime().maxMemory();
        if (max < needed) {
            LOG.warn("the heap (-Xmx{}m) is smaller than the {} MiB the gateway's bounds need (4 x max-in-flight-bytes"
                    + " + audit.max-in-flight + 128 MiB): raise -Xmx (SPILLWAY_JAVA_OPTS) or lower max-in-flight-bytes",
                    max >> 20, needed >> 20);
        }
    }

    private static void bindLimitGauges(Accounting accounting, InFlightBudget bodies, ConnectionGuard guard) {
        accounting.metrics().bind("spillway.request.bodies.in.flight.bytes",
                "Request body bytes held in memory (bounded by max-in-flight-bytes)", bodies, InFlightBudget::used);
        accounting.metrics().bind("spillway.connections.open", "Client connections open on the gateway listener",
                guard, ConnectionGuard::open);
        accounting.metrics().bind("spillway.connections.refused", "Connections closed at accept by a connection cap",
                guard, ConnectionGuard::refused);
        accounting.metrics().bind("spillway.connections.header.timeouts",
                "Connections closed because request headers did not arrive in time", guard, ConnectionGuard::timedOut);
    }

    private static void closeQuietly(Accounting accounting) {
        try {
            accounting.close();
        } catch (Exception e) {
            LOG.warn("closing accounting failed: {}", e.toString());
        }
    }
}
