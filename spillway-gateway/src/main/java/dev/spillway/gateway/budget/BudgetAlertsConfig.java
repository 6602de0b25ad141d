package dev.spillway.gateway.budget;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code gateway.budget-alerts}: the percentages of an app's monthly budget
 * ({@code limits.apps[].budget-per-month-usd}) that send a warning ({@code thresholds-percent},
 * default 50, 80, 100; per app under {@code apps}), the {@code webhooks} that receive it, how often
 * spend is checked ({@code check-interval}) and how a failed delivery is retried
 * ({@code max-attempts}, {@code initial-backoff} doubling up to {@code max-backoff}, each attempt
 * bounded by {@code timeout}). No webhooks: off. Immutable.
 */
public record BudgetAlertsConfig(List<Integer> thresholdsPercent, Map<String, List<Integer>> apps,
        List<Webhook> webhooks, Duration checkInterval, Duration timeout, int maxAttempts, Duration initialBackoff,
        Duration maxBackoff) {
    public static final BudgetAlertsConfig NONE = new BudgetAlertsConfig(List.of(50, 80, 100), Map.of(), List.of(),
            Duration.ofMinutes(1), Duration.ofSeconds(10), 8, Duration.ofSeconds(10), Duration.ofMinutes(15));

    /** One receiver: a name (part of each warning's id), its URL (a secret: it carries a token) and format. */
    public record Webhook(String name, Secret url, WebhookFormat format) {
        public Webhook {
            if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
                throw new IllegalArgumentException("name: must be lower-case letters, digits and '-', was '" + name + "'");
            }
            java.util.Objects.requireNonNull(url, "url");
        }
    }

    public BudgetAlertsConfig {
        thresholdsPercent = checked("thresholds-percent", thresholdsPercent);
        apps = apps.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey,
                e -> checked("apps." + e.getKey() + ".thresholds-percent", e.getValue())));
        webhooks = List.copyOf(webhooks);
        if (webhooks.stream().map(Webhook::name).distinct().count() != webhooks.size()) {
            throw new IllegalArgumentException("webhooks: names must be unique");
        }
        positive("check-interval", checkInterval);
        positive("timeout", timeout);
        positive("initial-backoff", initialBackoff);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("max-backoff: must be >= initial-backoff, was " + maxBackoff);
        }
        if (maxAttempts < 1) throw new IllegalArgumentException("max-attempts: must be >= 1, was " + maxAttempts);
    }

    public boolean enabled() {
        return !webhooks.isEmpty();
    }

    /** The thresholds of {@code app}: its own list, else the default. */
    public List<Integer> thresholds(String app) {
        return apps.getOrDefault(app, thresholdsPercent);
    }

    public static BudgetAlertsConfig from(ConfigNode n) {
        n.allowOnly("thresholds-percent", "apps", "webhooks", "check-interval", "timeout", "max-attempts",
                "initial-backoff", "max-backoff");
        BudgetAlertsConfig d = NONE;
        List<Integer> thresholds = n.has("thresholds-percent") ? percents(n) : d.thresholdsPercent();
        Map<String, List<Integer>> apps = n.list("apps", a -> {
            a.allowOnly("name", "thresholds-percent");
            String name = a.requiredString("name");
            return name == null ? null : Map.entry(name, percents(a));
        }).stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (x, y) -> y));
        List<Webhook> webhooks = n.list("webhooks", w -> {
            w.allowOnly("name", "url", "format");
            Secret url = w.secret("url");
            return w.build(() -> new Webhook(w.requiredString("name"), url,
                    w.choice("format", WebhookFormat.class, WebhookFormat.JSON)));
        });
        return n.build(() -> new BudgetAlertsConfig(thresholds, apps, webhooks,
                n.duration("check-interval", d.checkInterval()), n.duration("timeout", d.timeout()),
                n.integer("max-attempts", d.maxAttempts()), n.duration("initial-backoff", d.initialBackoff()),
                n.duration("max-backoff", d.maxBackoff())));
    }

    private static List<Integer> percents(ConfigNode n) {
        return n.strings("thresholds-percent").stream().map(s -> {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                n.problem("thresholds-percent", "must be whole percentages, was '" + s + "'");
                return 0;
            }
        }).toList();
    }

    private static List<Integer> checked(String key, List<Integer> percents) {
        if (percents.isEmpty()) throw new IllegalArgumentException(key + ": must name at least one percentage");
        for (int p : percents) {
            if (p < 1 || p > 1000) throw new IllegalArgumentException(key + ": must be 1-1000, was " + p);
        }
        return List.copyOf(new TreeSet<>(percents));
    }

    private static void positive(String key, Duration d) {
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(key + ": must be > 0, was " + d);
    }
}
