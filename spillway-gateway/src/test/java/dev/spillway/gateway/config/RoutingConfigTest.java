package dev.spillway.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.gateway.testkit.Yaml;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutingConfigTest {
    private static final String BACKENDS = """
              backends:
                - { name: ptu, url: "http://127.0.0.1:1", deployment: d, region: eastus }
                - { name: payg, url: "http://127.0.0.1:2", deployment: d, region: westus }
            """;

    private static List<String> problems(String yaml) {
        ConfigNode root = ConfigLoader.parse(yaml, Map.of());
        GatewayConfig.from(root.child("gateway"));
        return root.problems();
    }

    private static GatewayConfig load(String yaml) {
        GatewayConfig config = Yaml.gateway(yaml);
        return config;
    }

    @Test
    void aPlainListOfNamesIsTriedInOrderAndObjectsSetPriorityAndWeight() {
        GatewayConfig c = load("gateway:\n  region: eastus\n" + BACKENDS + """
                  deployments:
                    - { name: a, backends: [ptu, payg] }
                    - name: b
                      selection: least-latency
                      backends: [ { backend: ptu, priority: 0 }, { backend: payg, priority: 0, weight: 3 } ]
                      app-pools: [ { apps: [batch], backends: [payg] } ]
                """);
        assertThat(c.region()).isEqualTo("eastus");
        assertThat(c.deployment("a").orElseThrow().members())
                .containsExactly(new PoolMember("ptu", 0, 1), new PoolMember("payg", 1, 1));
        DeploymentConfig b = c.deployment("b").orElseThrow();
        assertThat(b.selection()).isEqualTo(DeploymentConfig.Selection.LEAST_LATENCY);
        assertThat(b.members()).containsExactly(new PoolMember("ptu", 0, 1), new PoolMember("payg", 0, 3));
        assertThat(b.appPools().get(0).apps()).containsExactly("batch");
        assertThat(c.routing()).isEqualTo(RoutingConfig.DEFAULT);
    }

    @Test
    void routingKeysOverrideTheirDefaults() {
        GatewayConfig c = load("gateway:\n" + BACKENDS + """
                  deployments: [ { name: a, backends: [ptu] } ]
                  routing:
                    max-attempts: 3
                    deadline: 30s
                    retry-budget: { ratio: 0.1 }
                    spillover: { proactive: false, utilization-limit: 90 }
                    breaker: { open-for: 5s }
                """);
        assertThat(c.routing().maxAttempts()).isEqualTo(3);
        assertThat(c.routing().deadline()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.routing().retryBudget().ratio()).isEqualTo(0.1);
        assertThat(c.routing().retryBudget().minRetries()).isEqualTo(10);
        assertThat(c.routing().spillover().proactive()).isFalse();
        assertThat(c.routing().spillover().utilizationLimit()).isEqualTo(90.0);
        assertThat(c.routing().breaker().openFor()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void everyProblemIsReportedAtItsPath() {
        List<String> problems = problems("gateway:\n" + BACKENDS + """
                    - { name: entra, url: "http://127.0.0.1:3", deployment: d, auth: oauth2 }
                    - { name: probed, url: "http://127.0.0.1:4", deployment: d, probe: { kind: status, interval: 10ms } }
                  deployments:
                    - name: a
                      backends: [ { backend: ptu, weight: 0 }, { backend: nope } ]
                      app-pools: [ { apps: [x], backends: [missing] } ]
                  routing:
                    retry-budget: { ratio: 2 }
                    spillover: { utilizaton-limit: 90 }
                """);
        assertThat(problems).contains(
                "gateway.backends[2].oauth: is required when auth is oauth2",
                "gateway.backends[3].probe.path: is required when kind is status",
                "gateway.deployments[0].backends[0].weight: must be 1-1000, was 0",
                "gateway.deployments[0].backends[1]: no backend named 'nope' (known: ptu, payg, entra, probed)",
                "gateway.deployments[0].app-pools[0].backends[0]: no backend named 'missing' (known: ptu, payg, entra, probed)",
                "gateway.routing.retry-budget.ratio: must be 0-1, was 2.0",
                "gateway.routing.spillover.utilizaton-limit: unknown key (did you mean 'utilization-limit'?)");
    }

    @Test
    void anOAuthIdentityDefaultsToEntraForItsTenant() {
        GatewayConfig c = load("gateway:\n" + """
                  backends:
                    - name: e
                      url: "https://x.openai.azure.com"
                      deployment: d
                      auth: oauth2
                      oauth: { tenant: t-1, client-id: c, client-secret: s }
                  deployments: [ { name: a, backends: [e] } ]
                """);
        OAuthConfig o = c.backend("e").orElseThrow().oauth().orElseThrow();
        assertThat(o.tokenUrl().toString()).isEqualTo("https://login.microsoftonline.com/t-1/oauth2/v2.0/token");
        assertThat(o.scope()).isEqualTo("https://cognitiveservices.azure.com/.default");
    }
}
