package dev.spillway.gateway.ledger;

import dev.spillway.gateway.price.PriceTable;
import dev.spillway.gateway.budget.BudgetAlertLog;
import dev.spillway.gateway.budget.BudgetAlertsConfig;
import dev.spillway.gateway.budget.BudgetWatcher;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import dev.spillway.gateway.audit.AuditConfig;
import dev.spillway.gateway.audit.AuditMode;
import dev.spillway.gateway.audit.FileHeadAnchors;
import dev.spillway.gateway.audit.HeadAnchors;
import dev.spillway.gateway.audit.FileAuditSink;
import dev.spillway.gateway.audit.AuditSink;
import dev.spillway.gateway.export.RecordExports;
import dev.spillway.gateway.config.BackendConfig;
import dev.spillway.gateway.config.DeploymentConfig;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.route.pool.BackendStates;
import dev.spillway.gateway.telemetry.GatewayMetrics;
import dev.spillway.gateway.telemetry.MetricsEndpoint;
import dev.spillway.gateway.telemetry.RequestTracer;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything that accounts for traffic, built from {@link AccountingConfig}: the usage store, the
 * spooled usage ledger, metrics, the tracer and the audit sink (the policies that feed them are
 * assembled in {@code server.Lifecycle}).
 * Opening is blocking (database migration, files): do it off the event loop, once at startup.
 * Thread-safe; one per gateway process, closed at shutdown.
 */
public final class Accounting implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Accounting.class);
    private final AccountingConfig config;
    /** The price table in force: the file's at start, then each reload's (reports and budgets read it). */
    private volatile PriceTable prices;
    private final Optional<UsageStore> store;
    /** The spooled ledger itself, and {@link #ledger} as the pipeline sees it (shipping to the exports too). */
    private final UsageLedger durable;
    private final UsageLedger ledger;
    private final GatewayMetrics metrics;
    private final RequestTracer tracer;
    private final Optional<FileAuditSink> audit;
    private final GatewayConfig gateway;
    private final Clock clock;
    private final List<HeadAnchors> anchors;
    private final RecordExports exports;
    private final Optional<MinuteRollups> rollups;
    private volatile Runnable stopRetention = () -> { };
    private volatile Runnable stopBudgetAlerts = () -> { };
    private volatile Runnable stopRollups = () -> { };

    private Accounting(GatewayConfig gateway, Optional<UsageStore> store, UsageLedger durable, GatewayMetrics metrics,
            RequestTracer tracer, Optional<FileAuditSink> audit, Clock clock, RecordExports exports) {
        this.exports = exports;
        this.config = gateway.accounting();
        this.prices = config.prices();
        this.gateway = gateway;
        this.store = store;
        this.durable = durable;
        this.ledger = exports.wrap(durable);
        this.metrics = metrics;
        this.tracer = tracer;
        this.audit = audit;
        this.clock = clock;
        this.anchors = anchors(config.audit(), store);
        this.rollups = store.filter(RollupStore.class::isInstance).map(s -> new MinuteRollups(ledger, (RollupStore) s,
                clock, gateway.console().rollupRetention()));
    }

    public static Accounting open(GatewayConfig gateway, Clock clock) {
        AccountingConfig c = gateway.accounting();
        Optional<UsageStore> db = c.ledger().enabled() ? store(gateway) : Optional.empty();
        if (c.budgetAlerts().enabled() && db.filter(BudgetAlertLog.class::isInstance).isEmpty()) {
            db.ifPresent(UsageStore::close);
            throw new IllegalStateException("budget-alerts need the ledger's database (ledger.enabled and the"
                    + " spillway-store-jdbc module): it is where spend is read and sent warnings are kept");
        }
        UsageLedger durable = db.<UsageLedger>map(d -> new SpoolUsageLedger(c.ledger(), d))
                .orElse(record -> CompletableFuture.completedFuture(null));
        RecordExports exports = RecordExports.open(c.export());
        GatewayMetrics metrics = new GatewayMetrics(c.telemetry(),
                gateway.deployments().stream().map(DeploymentConfig::name).collect(Collectors.toSet()),
                gateway.backends().stream().map(BackendConfig::name).collect(Collectors.toSet()));
        if (durable instanceof SpoolUsageLedger spool) bindLedgerGauges(metrics, spool);
        if (exports.active()) {
            metrics.bind("spillway.export.dropped", "Usage and audit records not shipped by export (queue full, write or "
                    + "collector failure)", exports, RecordExports::dropped);
        }
        boolean auditing = c.audit().mode() != AuditMode.OFF || c.audit().apps().values().stream().anyMatch(m -> m != AuditMode.OFF);
        Optional<FileAuditSink> audit = auditing ? Optional.of(new FileAuditSink(c.audit())) : Optional.empty();
        audit.ifPresent(sink -> bindAuditGauges(metrics, sink));
        return new Accounting(gateway, db, durable, metrics, RequestTracer.create(c.telemetry()), audit, clock, exports);
    }

    /** The usage store on {@code gateway.database}, from the JDBC module when it is on the class path. */
    private static Optional<UsageStore> store(GatewayConfig gateway) {
        Optional<UsageStore> store = ServiceLoader.load(UsageStoreProvider.class).findFirst()
                .map(p -> p.open(gateway.access().database()));
        if (store.isEmpty()) LOG.warn("no usage store module (spillway-store-jdbc) on the class path: usage is not ledgered");
        return store;
    }

    private static void bindLedgerGauges(GatewayMetrics metrics, SpoolUsageLedger spool) {
        metrics.bind("spillway.ledger.spool.bytes", "Bytes in the usage spool", spool, s -> s.stats().spoolBytes());
        metrics.bind("spillway.ledger.drain.failures", "Failed drains of the spool to the database", spool,
                s -> s.stats().drainFailures());
    }

    private static void bindAuditGauges(GatewayMetrics metrics, FileAuditSink sink) {
        metrics.bind("spillway.audit.in.flight.bytes", "Body bytes and open captures waiting for the audit thread",
                sink, FileAuditSink::bytesInFlight);
        metrics.bind("spillway.audit.bodies.skipped", "Bodies not stored because audit max-in-flight was reached",
                sink, FileAuditSink::bodiesSkipped);
    }

    /**
     * Starts the audit's periodic work on worker threads, stopped by {@link #close}: the hourly
     * retention pass (also once at start, so a gateway restarted daily still expires records) and
     * the anchoring of the chain's head every {@code anchor-interval}.
     */
    public void startRetention(Vertx vertx) {
        if (audit.isEmpty()) return;
        FileAuditSink sink = audit.get();
        Runnable expire = () -> vertx.executeBlocking(() -> {
                    sink.expire(clock.instant());
                    for (HeadAnchors place : anchors) place.forgetBefore(clock.instant().minus(config.audit().retention()));
                    return null;
                }, false).onFailure(e -> LOG.warn("audit retention pass failed: {}", e.toString()));
        expire.run();
        long timer = vertx.setPeriodic(Duration.ofHours(1).toMillis(), id -> expire.run());
        long anchorTimer = vertx.setPeriodic(config.audit().protection().anchorInterval().toMillis(),
                id -> vertx.executeBlocking(() -> {
                    sink.anchor(anchors, clock.instant());
                    return null;
                }, true));
        stopRetention = () -> {
            vertx.cancelTimer(timer);
            vertx.cancelTimer(anchorTimer);
        };
    }

    /**
     * Starts the budget warnings ({@code budget-alerts}) on an ordered worker, stopped by
     * {@link #close}; they need the ledger's database, which also keeps what was sent.
     */
    public void startBudgetAlerts(Vertx vertx) {
        BudgetAlertsConfig alerts = config.budgetAlerts();
        if (!alerts.enabled()) return;
        Optional<BudgetAlertLog> log = store.filter(BudgetAlertLog.class::isInstance).map(BudgetAlertLog.class::cast);
        if (log.isEmpty()) return; // refused by open()
        Map<String, BigDecimal> budgets = new HashMap<>();
        gateway.access().limits().apps().forEach((app, l) -> l.budgetPerMonthUsd().ifPresent(b -> budgets.put(app, b)));
        BudgetWatcher watcher = new BudgetWatcher(alerts, budgets, new LedgerSpend(store.get(), this::prices),
                log.get(), gateway.safety().outboundHosts(), metrics, clock);
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean();
        long timer = vertx.setPeriodic(1, alerts.checkInterval().toMillis(), id -> {
            if (!running.compareAndSet(false, true)) return; // a slow webhook: skip, never queue up passes
            vertx.executeBlocking(() -> {
                watcher.check();
                return null;
            }, false).onComplete(ar -> {
                running.set(false);
                if (ar.failed()) LOG.warn("budget check failed: {}", ar.cause().toString());
            });
        });
        stopBudgetAlerts = () -> vertx.cancelTimer(timer);
    }

    /**
     * Starts the console's rollups (when the ledger has a database): backends sampled every
     * {@code ROLLUP_SAMPLE}, completed minutes flushed once a minute and expired once an hour, all off
     * the event loop. Stopped, with a last flush, by {@link #close}.
     */
    public void startRollups(Vertx vertx, Supplier<List<BackendStates.BackendSnapshot>> backends) {
        if (rollups.isEmpty()) return;
        MinuteRollups r = rollups.get();
        long sampler = vertx.setPeriodic(ROLLUP_SAMPLE.toMillis(), id -> r.sample(backends.get()));
        long[] flushes = {0};
        long flusher = vertx.setPeriodic(Duration.ofMinutes(1).toMillis(), id -> vertx.executeBlocking(() -> {
            r.flush();
            if (flushes[0]++ % 60 == 0) r.expire();
            return null;
        }, true).onFailure(e -> LOG.warn("expiring old rollups failed: {}", e.toString())));
        stopRollups = () -> {
            vertx.cancelTimer(sampler);
            vertx.cancelTimer(flusher);
        };
    }

    /** How often backends are sampled for the console's utilization and 429 charts. */
    public static final Duration ROLLUP_SAMPLE = Duration.ofSeconds(5);

    /** The per-minute rollups behind the console's charts, when the ledger has a database. */
    public Optional<MinuteRollups> rollups() {
        return rollups;
    }

    /** Where the audit chain's head is anchored: the ledger database (if any), the anchor file and URL. */
    public static List<HeadAnchors> anchors(AuditConfig audit, Optional<UsageStore> store) {
        List<HeadAnchors> places = new ArrayList<>();
        store.filter(HeadAnchors.class::isInstance).map(HeadAnchors.class::cast).ifPresent(places::add);
        audit.protection().anchorFile().map(FileHeadAnchors::new).ifPresent(places::add);
        audit.protection().anchorUrl().ifPresent(places::add);
        return List.copyOf(places);
    }

    public RequestTracer tracer() {
        return tracer;
    }

    public UsageLedger ledger() {
        return ledger;
    }

    /** Where finished requests go: the console's rollups (when kept), which pass them on to {@link #ledger}. */
    public UsageLedger requestLedger() {
        return rollups.<UsageLedger>map(r -> r).orElse(ledger);
    }

    /** The price table in force. */
    public PriceTable prices() {
        return prices;
    }

    /** A config reload's price table, for the reports, budget warnings and console from now on. */
    public void reprice(PriceTable table) {
        prices = table;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    public MetricsEndpoint metricsEndpoint(Vertx vertx) {
        return new MetricsEndpoint(vertx, metrics, config.telemetry().metricsKey());
    }

    /** The chargeback admin handler ({@code /admin/usage}, admin key), when the ledger has a database. */
    public Optional<UsageAdminHandler> usageAdmin(Vertx vertx) {
        return store.map(d -> new UsageAdminHandler(vertx, new UsageReports(d, this::prices), gateway.admin().key()));
    }

    /** The ledger's database, when there is one (the portal reads an app's usage from it). */
    public Optional<UsageStore> usageStore() {
        return store;
    }

    /** Chargeback reports from the ledger database, when there is one (the console's usage page). */
    public Optional<UsageReports> usageReports() {
        return store.map(d -> new UsageReports(d, this::prices));
    }

    /** The anchors of the audit chain's head, for verification. */
    public List<HeadAnchors> auditAnchors() {
        return anchors;
    }

    /** The audit sink, shipping each record to the configured exports too. */
    public Optional<AuditSink> auditSink() {
        return audit.map(exports::wrap);
    }

    @Override
    public void close() throws Exception {
        stopRetention.run();
        stopBudgetAlerts.run();
        stopRollups.run();
        if (durable instanceof SpoolUsageLedger spool) spool.close();
        rollups.ifPresent(MinuteRollups::flushAll);
        if (audit.isPresent()) {
            audit.get().close();
            audit.get().anchor(anchors, clock.instant()); // the final head, now that the chain is closed
        }
        exports.close(); // after the ledger and audit closed: what they made durable is shipped
        tracer.close();
        if (store.isPresent()) store.get().close();
    }
}
