package dev.spillway.gateway.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.testkit.Yaml;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code gateway.budget-alerts} as read from the file: defaults, per-app thresholds, and precise refusals. */
class BudgetAlertsConfigTest {
    private static GatewayConfig gateway(String alerts) {
        return Yaml.gateway("gateway:\n  budget-alerts:\n" + alerts);
    }

    @Test
    void withoutWebhooksItIsOffWithTheDocumentedDefaults() {
        BudgetAlertsConfig c = Yaml.gateway("gateway: {}").accounting().budgetAlerts();
        assertThat(c.enabled()).isFalse();
        assertThat(c.thresholdsPercent()).containsExactly(50, 80, 100);
        assertThat(c.checkInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.maxAttempts()).isEqualTo(8);
    }

    @Test
    void thresholdsAreSortedAndAnAppsOwnListReplacesTheDefault() {
        BudgetAlertsConfig c = gateway("""
                    thresholds-percent: [100, 75]
                    apps: [ { name: search, thresholds-percent: [90] } ]
                    webhooks: [ { name: ops, url: "https://hooks.example.com/x", format: teams } ]
                """).accounting().budgetAlerts();
        assertThat(c.enabled()).isTrue();
        assertThat(c.thresholds("chat")).containsExactly(75, 100);
        assertThat(c.thresholds("search")).containsExactly(90);
        assertThat(c.webhooks()).extracting(BudgetAlertsConfig.Webhook::format).containsExactly(WebhookFormat.TEAMS);
    }

    @Test
    void badValuesAreRefusedWithTheirPath() {
        assertThatThrownBy(() -> gateway("""
                    thresholds-percent: [0]
                    webhooks: [ { name: ops, url: "https://h.example.com" } ]
                """)).hasMessageContaining("thresholds-percent: must be 1-1000, was 0");
        assertThatThrownBy(() -> gateway("""
                    webhooks: [ { name: ops, url: "https://h.example.com", format: discord } ]
                """)).hasMessageContaining("must be one of [json, teams, slack]");
        assertThatThrownBy(() -> gateway("""
                    webhooks: [ { name: Ops Team, url: "https://h.example.com" } ]
                """)).hasMessageContaining("name: must be lower-case");
        assertThatThrownBy(() -> gateway("""
                    initial-backoff: 1m
                    max-backoff: 10s
                    webhooks: [ { name: ops, url: "https://h.example.com" } ]
                """)).hasMessageContaining("max-backoff: must be >= initial-backoff");
        assertThatThrownBy(() -> gateway("""
                    webhooks: [ { name: ops, url: "https://a.example.com" }, { name: ops, url: "https://b.example.com" } ]
                """)).hasMessageContaining("webhooks: names must be unique");
    }

    @Test
    void backoffDoublesUpToTheCap() {
        BudgetAlertsConfig c = new BudgetAlertsConfig(List.of(50), java.util.Map.of(), List.of(), Duration.ofMinutes(1),
                Duration.ofSeconds(5), 8, Duration.ofSeconds(10), Duration.ofSeconds(60));
        BudgetWatcher w = new BudgetWatcher(c, java.util.Map.of(), (f, t) -> java.util.Map.of(), null, List.of(),
                new dev.spillway.gateway.telemetry.GatewayMetrics(dev.spillway.gateway.telemetry.TelemetryConfig.defaults(),
                        java.util.Set.of(), java.util.Set.of()), java.time.Clock.systemUTC());
        assertThat(List.of(w.backoff(1), w.backoff(2), w.backoff(3), w.backoff(4), w.backoff(9)))
                .containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40),
                        Duration.ofSeconds(60), Duration.ofSeconds(60));
    }
}
