package dev.spillway.gateway.batch;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.DataSize;
import dev.spillway.gateway.pipeline.Priority;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code gateway.batch}: the low-priority lane. Upload limits ({@code max-file-size}, default
 * 100 MiB; {@code max-lines}, default 50,000 as OpenAI), the lease a worker holds a line under
 * ({@code lease}, 5m), how often the scheduler looks for work ({@code poll-interval}, 1s), how many
 * lines and queued requests run at once in this gateway (sized from the PTU headroom between
 * {@code min-in-flight}, 1, and {@code max-in-flight}, 64: {@link LaneConcurrency}) and per app
 * ({@code max-concurrency-per-app}, 32), how often a failing line is tried ({@code max-attempts}, 3),
 * the PTU utilization under which queued work is released ({@code utilization-limit}, 90 percent),
 * when pay-as-you-go may serve queued work ({@code pay-as-you-go}: {@code never} (default),
 * {@code deadline-at-risk} (within {@code deadline-margin}, 2h, of the batch's expiry) or
 * {@code always}), per-app overrides under {@code apps} (also the priority class of an app's
 * synchronous calls), and the message-queue way in ({@code rabbitmq}, {@link RabbitConfig}; absent:
 * none). Immutable.
 */
public record BatchConfig(boolean enabled, DataSize maxFileSize, int maxLines, Duration lease, Duration pollInterval,
        int maxInFlight, int minInFlight, int maxConcurrencyPerApp, int maxAttempts, double utilizationLimit, PayAsYouGo payAsYouGo,
        Duration deadlineMargin, Map<String, AppSettings> apps, Optional<RabbitConfig> rabbitmq) {

    /** When queued work may spill to pay-as-you-go backends. */
    public enum PayAsYouGo { NEVER, DEADLINE_AT_RISK, ALWAYS }

    /**
     * One app's overrides: its concurrency cap, pay-as-you-go rule, and the priority class of its
     * synchronous calls ({@code low} makes every call wait for PTU headroom, as the header does).
     */
    public record AppSettings(String app, int maxConcurrency, PayAsYouGo payAsYouGo, Priority priority) {
        public AppSettings {
            if (app == null || app.isBlank()) throw new IllegalArgumentException("app: is required");
            if (maxConcurrency < 1) throw new IllegalArgumentException("max-concurrency: must be >= 1, was " + maxConcurrency);
            if (priority == Priority.BATCH) throw new IllegalArgumentException("priority: must be interactive or low");
        }
    }

    public static final List<String> KEYS = List.of("enabled", "max-file-size", "max-lines", "lease", "poll-interval",
            "max-in-flight", "min-in-flight", "max-concurrency-per-app", "max-attempts", "utilization-limit", "pay-as-you-go",
            "deadline-margin", "apps", "rabbitmq");

    public static final BatchConfig DEFAULT = new BatchConfig(true, DataSize.ofMebibytes(100), 50_000,
            Duration.ofMinutes(5), Duration.ofSeconds(1), 64, 1, 32, 3, 90, PayAsYouGo.NEVER, Duration.ofHours(2), Map.of(),
            Optional.empty());

    public BatchConfig {
        if (maxFileSize.bytes() < 1024) throw new IllegalArgumentException("max-file-size: must be >= 1KiB, was " + maxFileSize);
        if (maxLines < 1) throw new IllegalArgumentException("max-lines: must be >= 1, was " + maxLines);
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) throw new IllegalArgumentException("lease: must be >= 1s, was " + lease);
        if (pollInterval.isNegative() || pollInterval.isZero()) throw new IllegalArgumentException("poll-interval: must be > 0");
        if (maxInFlight < 1) throw new IllegalArgumentException("max-in-flight: must be >= 1, was " + maxInFlight);
        if (minInFlight < 1 || minInFlight > maxInFlight) {
            throw new IllegalArgumentException("min-in-flight: must be between 1 and max-in-flight (" + maxInFlight
                    + "), was " + minInFlight);
        }
        if (maxConcurrencyPerApp < 1) {
            throw new IllegalArgumentException("max-concurrency-per-app: must be >= 1, was " + maxConcurrencyPerApp);
        }
        if (maxAttempts < 1) throw new IllegalArgumentException("max-attempts: must be >= 1, was " + maxAttempts);
        if (utilizationLimit <= 0 || utilizationLimit > 100) {
            throw new IllegalArgumentException("utilization-limit: must be in (0, 100] percent, was " + utilizationLimit);
        }
        if (deadlineMargin.isNegative()) throw new IllegalArgumentException("deadline-margin: must be >= 0");
        apps = Map.copyOf(apps);
        Objects.requireNonNull(rabbitmq, "rabbitmq");
    }

    public int concurrencyOf(String app) {
        AppSettings s = apps.get(app);
        return s == null ? maxConcurrencyPerApp : s.maxConcurrency();
    }

    /** The priority class of the app's synchronous calls when they do not send the header. */
    public Priority priorityOf(String app) {
        AppSettings s = apps.get(app);
        return s == null ? Priority.INTERACTIVE : s.priority();
    }

    public PayAsYouGo payAsYouGoOf(String app) {
        AppSettings s = apps.get(app);
        return s == null ? payAsYouGo : s.payAsYouGo();
    }

    /** Reads {@code gateway.batch}; absent means the defaults. */
    public static BatchConfig from(ConfigNode n) {
        n.allowOnly(KEYS.toArray(String[]::new));
        BatchConfig d = DEFAULT;
        PayAsYouGo payg = n.choice("pay-as-you-go", PayAsYouGo.class, d.payAsYouGo());
        int perApp = n.integer("max-concurrency-per-app", d.maxConcurrencyPerApp());
        List<AppSettings> apps = n.list("apps", a -> {
            a.allowOnly("app", "max-concurrency", "pay-as-you-go", "priority");
            return a.build(() -> new AppSettings(a.requiredString("app"), a.integer("max-concurrency", perApp),
                    a.choice("pay-as-you-go", PayAsYouGo.class, payg), a.choice("priority", Priority.class,
                            Priority.INTERACTIVE)));
        });
        Optional<RabbitConfig> rabbitmq = RabbitConfig.from(n.child("rabbitmq"));
        Map<String, AppSettings> byApp = new LinkedHashMap<>();
        for (AppSettings s : apps) if (s != null) byApp.put(s.app(), s);
        BatchConfig built = n.build(() -> new BatchConfig(n.bool("enabled", d.enabled()),
                n.size("max-file-size", d.maxFileSize()), n.integer("max-lines", d.maxLines()),
                n.duration("lease", d.lease()), n.duration("poll-interval", d.pollInterval()),
                n.integer("max-in-flight", d.maxInFlight()), n.integer("min-in-flight", d.minInFlight()), perApp, n.integer("max-attempts", d.maxAttempts()),
                n.decimal("utilization-limit", d.utilizationLimit()), payg,
                n.duration("deadline-margin", d.deadlineMargin()), byApp, rabbitmq));
        return built == null ? d : built;
    }
}
