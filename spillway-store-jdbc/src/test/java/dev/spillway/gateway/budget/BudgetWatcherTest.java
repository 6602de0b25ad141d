package dev.spillway.gateway.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.Secret;
import dev.spillway.core.testkit.FakeClock;
import dev.spillway.gateway.telemetry.GatewayMetrics;
import dev.spillway.gateway.telemetry.TelemetryConfig;
import dev.spillway.store.jdbc.Database;
import dev.spillway.store.jdbc.ledger.JdbcUsageStore;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The budget watcher against a loopback receiver and the real SQLite log: once per threshold per
 * month, retries with backoff on 500, nothing lost or repeated across a restart, the allow-list.
 */
class BudgetWatcherTest {
    private static final Instant DEC = Instant.parse("2026-12-07T10:00:00Z");
    @TempDir
    Path dir;
    private final FakeClock clock = new FakeClock(DEC);
    private final Map<String, Long> spent = new HashMap<>();
    private final GatewayMetrics metrics = new GatewayMetrics(TelemetryConfig.defaults(), Set.of(), Set.of());
    private WebhookReceiver receiver;
    private Database database;
    private JdbcUsageStore log;

    @BeforeEach
    void open() throws Exception {
        receiver = new WebhookReceiver();
        reopen();
    }

    @AfterEach
    void close() {
        database.close();
        receiver.close();
    }

    private void reopen() {
        if (database != null) database.close();
        database = Database.open("jdbc:sqlite:" + dir.resolve("spillway.db"), Optional.empty(), Optional.empty(), 2);
        log = new JdbcUsageStore(database);
    }

    private BudgetWatcher watcher(WebhookFormat format, List<String> outboundHosts) {
        BudgetAlertsConfig config = new BudgetAlertsConfig(List.of(50, 80, 100), Map.of("search", List.of(90)),
                List.of(new BudgetAlertsConfig.Webhook("ops", Secret.literal(receiver.url()), format)),
                Duration.ofMinutes(1), Duration.ofSeconds(5), 4, Duration.ofSeconds(10), Duration.ofSeconds(30));
        return new BudgetWatcher(config, Map.of("chat", new BigDecimal("50"), "search", new BigDecimal("10")),
                (from, to) -> {
                    assertThat(from).isEqualTo(java.time.YearMonth.from(clock.instant().atZone(java.time.ZoneOffset.UTC))
                            .atDay(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
                    return Map.copyOf(spent);
                }, log, outboundHosts, metrics, clock);
    }

    private BudgetWatcher watcher() {
        return watcher(WebhookFormat.JSON, List.of());
    }

    @Test
    void eachThresholdReachedIsPostedOnceWithTheSpendAtTheTime() throws Exception {
        BudgetWatcher w = watcher();
        spent.put("chat", 24_999_999L); // just under 50 % of $50
        w.check();
        assertThat(receiver.posts).isEmpty();
        spent.put("chat", 41_000_000L); // 82 %
        w.check();
        w.check();
        assertThat(receiver.accepted()).extracting(p -> p.body().get("threshold_percent").asInt())
                .containsExactlyInAnyOrder(50, 80);
        WebhookReceiver.Post eighty = receiver.accepted().stream()
                .filter(p -> p.body().get("threshold_percent").asInt() == 80).findFirst().orElseThrow();
        assertThat(eighty.idempotencyKey()).isEqualTo("chat/2026-12/80/ops");
        assertThat(eighty.contentType()).isEqualTo("application/json");
        assertThat(eighty.body().get("spent_usd").asText()).isEqualTo("41.00");
        assertThat(eighty.body().get("budget_usd").asText()).isEqualTo("50.00");
        assertThat(eighty.body().get("used_percent").asDouble()).isEqualTo(82.0);
        assertThat(eighty.body().get("type").asText()).isEqualTo("spillway.budget.threshold");
        assertThat(metrics.scrape()).contains("spillway_budget_used_ratio{app=\"chat\"} 0.82");
    }

    @Test
    void anAppsOwnThresholdsReplaceTheDefault() throws Exception {
        spent.put("search", 8_000_000L); // 80 % of $10: over 50 and 80, under search's only threshold 90
        watcher().check();
        assertThat(receiver.posts).isEmpty();
        spent.put("search", 9_000_000L);
        watcher().check();
        assertThat(receiver.accepted()).extracting(WebhookReceiver.Post::idempotencyKey)
                .containsExactly("search/2026-12/90/ops");
    }

    @Test
    void aNewMonthWarnsAgain() throws Exception {
        spent.put("chat", 26_000_000L);
        watcher().check();
        clock.advance(Duration.ofDays(30)); // 2027-01-06
        watcher().check();
        assertThat(receiver.accepted()).extracting(WebhookReceiver.Post::idempotencyKey)
                .containsExactly("chat/2026-12/50/ops", "chat/2027-01/50/ops");
    }

    @Test
    void a500IsRetriedWithDoublingBackoffUntilAccepted() throws Exception {
        receiver.failFirst.set(2);
        spent.put("chat", 25_000_000L);
        BudgetWatcher w = watcher();
        w.check();
        assertThat(receiver.posts).hasSize(1);
        clock.advance(Duration.ofSeconds(9));
        w.check();
        assertThat(receiver.posts).as("not before the 10 s backoff").hasSize(1);
        clock.advance(Duration.ofSeconds(1));
        w.check();
        assertThat(receiver.posts).hasSize(2);
        clock.advance(Duration.ofSeconds(19));
        w.check();
        assertThat(receiver.posts).as("the second backoff is 20 s").hasSize(2);
        clock.advance(Duration.ofSeconds(1));
        w.check();
        clock.advance(Duration.ofMinutes(5));
        w.check();
        assertThat(receiver.posts).extracting(WebhookReceiver.Post::answered).containsExactly(500, 500, 204);
        BudgetAlertLog.Entry entry = log.entries("2026-12").getFirst();
        assertThat(entry.state()).isEqualTo("sent");
        assertThat(entry.alert().attempts()).isEqualTo(3);
    }

    @Test
    void afterMaxAttemptsTheWarningIsMarkedFailedAndNoLongerTried() throws Exception {
        receiver.failFirst.set(100);
        spent.put("chat", 25_000_000L);
        BudgetWatcher w = watcher();
        for (int i = 0; i < 10; i++) {
            w.check();
            clock.advance(Duration.ofSeconds(30));
        }
        assertThat(receiver.posts).hasSize(4);
        BudgetAlertLog.Entry entry = log.entries("2026-12").getFirst();
        assertThat(entry.state()).isEqualTo("failed");
        assertThat(entry.lastError().orElseThrow()).contains("HTTP 500");
        assertThat(metrics.scrape()).contains("spillway_budget_alerts_total{result=\"failed\"} 1.0");
    }

    @Test
    void aRestartNeitherRepeatsASentWarningNorLosesAPendingOne() throws Exception {
        spent.put("chat", 41_000_000L);
        receiver.failFirst.set(1); // one of the two warnings fails its first post
        watcher().check();
        assertThat(receiver.accepted()).hasSize(1);
        reopen(); // a new process: new store, new watcher, same database
        clock.advance(Duration.ofSeconds(10));
        watcher().check();
        clock.advance(Duration.ofMinutes(5));
        watcher().check();
        assertThat(receiver.accepted()).extracting(WebhookReceiver.Post::idempotencyKey)
                .containsExactlyInAnyOrder("chat/2026-12/50/ops", "chat/2026-12/80/ops");
        assertThat(receiver.posts).hasSize(3);
    }

    @Test
    void aHostOutsideTheOutboundAllowListIsNeverCalled() throws Exception {
        spent.put("chat", 25_000_000L);
        watcher(WebhookFormat.JSON, List.of("hooks.slack.com")).check();
        clock.advance(Duration.ofMinutes(5));
        watcher(WebhookFormat.JSON, List.of("hooks.slack.com")).check();
        assertThat(receiver.posts).isEmpty();
        BudgetAlertLog.Entry entry = log.entries("2026-12").getFirst();
        assertThat(entry.state()).isEqualTo("failed");
        assertThat(entry.lastError().orElseThrow()).contains("not in safety.outbound-hosts");
    }

    @Test
    void teamsGetsAMessageCardAndSlackGetsTextAndBlocks() throws Exception {
        spent.put("chat", 50_000_000L);
        watcher(WebhookFormat.TEAMS, List.of("127.0.0.1")).check();
        var teams = receiver.accepted().stream().filter(p -> p.idempotencyKey().contains("/100/")).findFirst()
                .orElseThrow().body();
        assertThat(teams.get("@type").asText()).isEqualTo("MessageCard");
        assertThat(teams.get("@context").asText()).isEqualTo("https://schema.org/extensions");
        assertThat(teams.get("title").asText()).isEqualTo("Budget 100% reached: chat");
        assertThat(teams.get("themeColor").asText()).isEqualTo("D13438");
        assertThat(teams.at("/sections/0/facts/2/value").asText()).isEqualTo("$50.00");

        receiver.posts.clear();
        spent.put("search", 9_500_000L);
        watcher(WebhookFormat.SLACK, List.of()).check();
        var slack = receiver.accepted().getFirst().body();
        assertThat(slack.get("text").asText()).startsWith("Budget 90% reached: search: App search has spent $9.50"
                + " of its $10.00 budget for 2026-12 (95.0%).");
        assertThat(slack.at("/blocks/0/type").asText()).isEqualTo("header");
        assertThat(slack.at("/blocks/1/text/type").asText()).isEqualTo("mrkdwn");
    }
}
