package dev.spillway.gateway.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.config.ConfigException;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.gateway.access.keys.KeyLimits;
import dev.spillway.gateway.access.limit.FailMode;
import dev.spillway.gateway.access.limit.Limit;
import dev.spillway.gateway.access.limit.LimitPlan;
import dev.spillway.gateway.access.limit.Metric;
import dev.spillway.gateway.access.limit.Window;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class AccessConfigTest {
    static final String YAML = """
            gateway:
              store: {type: redis, redis-url: "redis://10.0.0.5:6379", replicas: 3, timeout: 50ms}
              database: {url: "jdbc:postgresql://db/spillway", user: spillway, password: "${env:DB_PASSWORD}"}
              admin: {key: "${env:ADMIN_KEY}"}
              jwt:
                issuers:
                  - {issuer: "https://login.example/t/v2.0", audience: "api://spillway", jwks-uri: "https://login.example/keys"}
                required-roles:
                  - {deployment: "*", roles: [AI.User]}
              limits:
                default-max-tokens: 512
                fail-policy: {budget: closed, quota: local-fallback}
                apps: [{name: chat, tokens-per-minute: 10000, budget-per-month-usd: 250}]
                teams: [{name: search, tokens-per-day: 1000000}]
                users: [{name: "*", requests-per-minute: 20}]
            """;

    static AccessConfig parse(String yaml) {
        ConfigNode root = ConfigLoader.parse(yaml, Map.of("DB_PASSWORD", "pw", "ADMIN_KEY", "adm"));
        AccessConfig c = AccessConfig.from(root.child("gateway"));
        root.throwIfInvalid();
        return c;
    }

    @Test
    void everySectionIsReadWithItsDefaultsFilledIn() {
        AccessConfig c = parse(YAML);
        assertThat(c.store().type()).isEqualTo(StoreConfig.Type.REDIS);
        assertThat(c.store().replicas()).isEqualTo(3);
        assertThat(c.store().timeout()).isEqualTo(Duration.ofMillis(50));
        assertThat(c.database().password().orElseThrow().value()).isEqualTo("pw");
        assertThat(c.adminKey().orElseThrow().value()).isEqualTo("adm");
        assertThat(c.keyCacheTtl()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.callerHeader()).isEqualTo("caller-objectid");
        assertThat(c.jwt().rolesFor("gpt-4o")).containsExactly("AI.User");
        assertThat(c.jwt().issuers().get(0).algorithms()).containsExactly("RS256");
        assertThat(c.limits().defaultMaxTokens()).isEqualTo(512);
        assertThat(c.limits().quotaFailMode()).isEqualTo(FailMode.LOCAL_FALLBACK);
    }

    @Test
    void anEmptyGatewaySectionMeansTheEmbeddedDefaults() {
        AccessConfig c = parse("gateway: {}\n");
        assertThat(c).isEqualTo(AccessConfig.DEFAULT);
    }

    @Test
    void badValuesAreReportedAtTheirPath() {
        assertThatThrownBy(() -> parse("""
                gateway:
                  store: {type: mongo}
                  access: {key-cache-ttl: 5s}
                  jwt: {issuers: [{issuer: x, audience: y, jwks-uri: "file:///etc/passwd", algorithms: [HS256]}]}
                  limits: {apps: [{name: a, tokens-per-minute: -5}], surprise: 1}
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("gateway.store.type: must be one of [memory, redis]")
                .hasMessageContaining("gateway.limits.surprise: unknown key")
                .hasMessageContaining("tokens-per-minute: must be > 0")
                .hasMessageContaining("jwks-uri");
    }

    @Test
    void theLimitPlanCombinesKeyAppTeamAndUserLimits() {
        LimitPlan plan = new LimitPlan(parse(YAML).limits());
        KeyLimits onKey = new KeyLimits(OptionalLong.of(60), OptionalLong.of(1000), OptionalLong.empty(),
                OptionalLong.empty(), Optional.empty());
        LimitPlan.Subjects s = new LimitPlan.Subjects(Optional.of("key_1"), onKey, "chat", Optional.of("search"),
                Optional.of("user-42"));
        assertThat(plan.requests(s)).containsExactly(
                new Limit("key:key_1", Metric.REQUESTS, Window.MINUTE, 60, FailMode.LOCAL_FALLBACK),
                new Limit("user:user-42", Metric.REQUESTS, Window.MINUTE, 20, FailMode.LOCAL_FALLBACK));
        assertThat(plan.tokens(s)).containsExactly(
                new Limit("key:key_1", Metric.TOKENS, Window.MINUTE, 1000, FailMode.LOCAL_FALLBACK),
                new Limit("app:chat", Metric.TOKENS, Window.MINUTE, 10000, FailMode.LOCAL_FALLBACK),
                new Limit("team:search", Metric.TOKENS, Window.DAY, 1_000_000, FailMode.LOCAL_FALLBACK));
        assertThat(plan.budgets(s)).containsExactly(
                new Limit("app:chat", Metric.MICRO_USD, Window.MONTH, 250_000_000, FailMode.CLOSED));
    }
}
