package dev.spillway.gateway.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * The gateway's Prometheus metrics (Micrometer): requests, tokens, time to first token and
 * latency histograms, 429s issued and received, backend utilization and breaker state, and
 * remaining quota. Labels are bounded: deployments and backends outside the config, and apps
 * past {@code max-label-values}, count as {@code other}; user ids only with {@code user-label}.
 * Meters are cached per label set so the per-request cost is a map lookup and a few adds. With
 * {@code metrics: false} nothing is recorded and {@code /metrics} is not served.
 * Thread-safe; one per gateway.
 */
public final class GatewayMetrics implements BackendStateListener {
    private static final Duration[] LATENCY_BUCKETS = buckets(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
            10, 30, 60, 120);

    private record RequestKey(String app, String user, String deployment, String backend, String status) {}

    private record RequestMeters(Counter requests, Counter prompt, Counter completion, Counter cached,
            Timer latency, Timer ttft) {}

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final TelemetryConfig config;
    private final LabelLimiter apps;
    private final LabelLimiter users;
    private final LabelLimiter deployments;
    private final LabelLimiter backends;
    private final Map<RequestKey, RequestMeters> meters = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
    /** {@code spillway.cache.requests} by result, then app label. */
    private final Map<String, Map<String, Counter>> cacheCounters = new ConcurrentHashMap<>();
    private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();

    public GatewayMetrics(TelemetryConfig config, Set<String> deployments, Set<String> backends) {
        this.config = config;
        this.apps = new LabelLimiter(Set.of(), config.maxLabelValues());
        this.users = new LabelLimiter(Set.of(), config.maxLabelValues());
        this.deployments = LabelLimiter.closed(deployments);
        this.backends = LabelLimiter.closed(backends);
        // At 0 from the start, so an alert on their increase sees the first refusal.
        configReloads("applied");
        configReloads("refused");
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every meter, after the {@link #beforeScrape} hooks ran. */
    public String scrape() {
        for (Runnable hook : beforeScrape) hook.run();
        return registry.scrape();
    }

    /** Runs {@code hook} before each scrape, to copy state the gateway keeps elsewhere into the gauges. */
    public void beforeScrape(Runnable hook) {
        beforeScrape.add(hook);
    }

    public void requestCompleted(RequestSample s) {
        if (!config.metrics()) return;
        RequestMeters m = meters.computeIfAbsent(key(s), this::register);
        m.requests().increment();
        if (s.promptTokens() > 0) m.prompt().increment(s.promptTokens());
        if (s.completionTokens() > 0) m.completion().increment(s.completionTokens());
        if (s.cachedTokens() > 0) m.cached().increment(s.cachedTokens());
        m.latency().record(s.latency());
        s.timeToFirstToken().ifPresent(m.ttft()::record);
    }

    /** A 429 the gateway sent to a client; {@code limit} names the limit, e.g. {@code tokens-per-minute}. */
    public void rateLimitIssued(String app, String limit) {
        if (!config.metrics()) return;
        Counter.builder("spillway.rate.limited.issued").description("429 responses the gateway issued")
                .tags("app", apps.label(app), "limit", limit).register(registry).increment();
    }

    /**
     * A chat request the response cache looked at for its app: {@code result} is {@code hit},
     * {@code semantic-hit} or {@code miss}, so the hit ratio per app and kind is a ratio of rates.
     */
    public void cacheLookup(String app, String result) {
        if (!config.metrics()) return;
        // Every hit passes here: the counter is found in a map of its own instead of built and
        // looked up in the registry each time (a builder, tags and an id per call).
        Map<String, Counter> byApp = cacheCounters.computeIfAbsent(result, r -> new ConcurrentHashMap<>());
        String label = apps.label(app);
        Counter counter = byApp.get(label);
        if (counter == null) {
            counter = byApp.computeIfAbsent(label, l -> Counter.builder("spillway.cache.requests")
                    .description("Chat requests the response cache looked up, by result")
                    .tags("app", l, "result", result).register(registry));
        }
        counter.increment();
    }

    /** A safety check that fired on the prompt or the answer; {@code action} is what the gateway did. */
    public void safetyFinding(String app, String side, String check, String rule, String action) {
        if (!config.metrics()) return;
        Counter.builder("spillway.safety.findings").description("Safety checks that fired, by what was done")
                .tags("app", apps.label(app), "side", side, "check", check, "rule", rule, "action", action)
                .register(registry).increment();
    }

    /**
     * A request refused before the pipeline ran; {@code reason} is one of a few fixed words
     * ({@code unauthenticated}), so the label stays bounded. Never ledgered or audited.
     */
    public void rejected(String reason) {
        if (!config.metrics()) return;
        Counter.builder("spillway.rejected").description("Requests refused before a caller was known")
                .tags("reason", reason).register(registry).increment();
    }

    /** A 429 a backend sent to the gateway. */
    public void rateLimitReceived(String backend) {
        if (!config.metrics()) return;
        Counter.builder("spillway.rate.limited.received").description("429 responses received from backends")
                .tags("backend", backends.label(backend)).register(registry).increment();
    }

    @Override
    public void utilization(String backend, double fraction) {
        gauge("spillway.backend.utilization", Tags.of("backend", backends.label(backend)), fraction);
    }

    @Override
    public void breakerState(String backend, BreakerState state) {
        String b = backends.label(backend);
        for (BreakerState s : BreakerState.values()) {
            gauge("spillway.backend.breaker.state", Tags.of("backend", b, "state", s.name().toLowerCase()),
                    s == state ? 1 : 0);
        }
    }

    @Override
    public void remainingQuota(String scope, String kind, double remaining) {
        gauge("spillway.quota.remaining", Tags.of("scope", apps.label(scope), "kind", kind), remaining);
    }

    /** An app's spend this month as a fraction of its monthly budget (budget-alerts). */
    public void budgetUsed(String app, double fraction) {
        gauge("spillway.budget.used.ratio", Tags.of("app", apps.label(app)), fraction);
    }

    /** A budget warning delivery: {@code sent}, {@code retried} or {@code failed} (given up). */
    public void budgetAlert(String result) {
        Counter.builder("spillway.budget.alerts").description("Budget warning deliveries, by result")
                .tags("result", result).register(registry).increment();
    }

    /**
     * Deployments and backends a reloaded config names: they get their own label values (the
     * ones dropped stay, so their series keep their names).
     */
    public void know(Set<String> deployments, Set<String> backends) {
        this.deployments.know(deployments);
        this.backends.know(backends);
    }

    /** A config reload: {@code applied} or {@code refused} (an unchanged file is not counted). */
    public void configReload(String outcome) {
        configReloads(outcome).increment();
    }

    private Counter configReloads(String outcome) {
        return Counter.builder("spillway.config.reloads").description("Config reloads, by outcome")
                .tags("outcome", outcome).register(registry);
    }

    /** Exposes a value read on each scrape (spool size, drain failures, ...). */
    public <T> void bind(String name, String description, T source, ToDoubleFunction<T> reader) {
        Gauge.builder(name, source, reader).description(description).register(registry);
    }

    private void gauge(String name, Tags tags, double value) {
        String id = name + tags;
        AtomicLong bits = gauges.computeIfAbsent(id, k -> {
            AtomicLong holder = new AtomicLong();
            Gauge.builder(name, holder, h -> Double.longBitsToDouble(h.get())).tags(tags).register(registry);
            return holder;
        });
        bits.set(Double.doubleToLongBits(value));
    }

    private RequestKey key(RequestSample s) {
        String user = config.userLabel() ? users.label(s.user()) : "";
        return new RequestKey(apps.label(s.app()), user, deployments.label(s.deployment()),
                s.backend().isEmpty() ? "none" : backends.label(s.backend()), (s.status() / 100) + "xx");
    }

    private RequestMeters register(RequestKey k) {
        Tags base = Tags.of("app", k.app(), "deployment", k.deployment(), "backend", k.backend());
        if (config.userLabel()) base = base.and("user", k.user());
        Counter requests = Counter.builder("spillway.requests").description("Client requests answered")
                .tags(base).tag("status", k.status()).register(registry);
        return new RequestMeters(requests, tokens(base, "prompt"), tokens(base, "completion"), tokens(base, "cached"),
                histogram("spillway.request.duration", "End-to-end latency", k),
                histogram("spillway.time.to.first.token", "Time to first token (streamed and not)", k));
    }

    private Counter tokens(Tags base, String type) {
        return Counter.builder("spillway.tokens").description("Tokens metered").tags(base).tag("type", type)
                .register(registry);
    }

    private Timer histogram(String name, String description, RequestKey k) {
        return Timer.builder(name).description(description).tags("app", k.app(), "deployment", k.deployment())
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    }

    private static Duration[] buckets(double... seconds) {
        Duration[] out = new Duration[seconds.length];
        for (int i = 0; i < seconds.length; i++) out[i] = Duration.ofNanos((long) (seconds[i] * 1e9));
        return out;
    }
}
