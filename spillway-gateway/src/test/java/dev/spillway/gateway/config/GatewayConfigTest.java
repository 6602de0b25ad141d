package dev.spillway.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.config.ConfigException;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {
    private static GatewayConfig load(String yaml) {
        ConfigNode root = ConfigLoader.parse(yaml, Map.of("AOAI_KEY", "k-123-0123456789abcdef0123456789ab"));
        GatewayConfig config = GatewayConfig.from(root.child("gateway"));
        root.throwIfInvalid();
        return config;
    }

    private static final String VALID = """
            gateway:
              port: 9000
              max-body-size: 1MiB
              keys:
                - { name: app-a, key: "${env:AOAI_KEY}", team: search }
              backends:
                - name: ptu
                  url: http://127.0.0.1:8081/
                  deployment: gpt-4o-ptu
                  auth: api-key
                  secret: "${env:AOAI_KEY}"
                  first-byte-timeout: 5s
                - { name: paygo, url: "https://example.openai.azure.com", deployment: gpt-4o }
              deployments:
                - { name: gpt-4o, backends: [ptu, paygo] }
            """;

    @Test
    void validConfigReadsEveryValueAndItsDefaults() {
        GatewayConfig c = load(VALID);
        assertThat(c.port()).isEqualTo(9000);
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.maxBodySize().bytes()).isEqualTo(1 << 20);
        assertThat(c.keys().get(0).key().value()).isEqualTo("k-123-0123456789abcdef0123456789ab");
        assertThat(c.keys().get(0).app()).isEqualTo("app-a");
        BackendConfig ptu = c.backend("ptu").orElseThrow();
        assertThat(ptu.url().toString()).isEqualTo("http://127.0.0.1:8081");
        assertThat(ptu.firstByteTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(ptu.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(ptu.api()).isEqualTo(BackendConfig.Api.AZURE);
        assertThat(c.deployment("gpt-4o").orElseThrow().backends()).containsExactly("ptu", "paygo");
    }

    @Test
    void everyProblemIsReportedWithItsPath() {
        String yaml = """
                gateway:
                  prot: 9000
                  port: high
                  backends:
                    - { name: a, url: http://127.0.0.1:1, deployment: d }
                    - { name: b, url: "not a url", deployment: d, auth: api-key }
                    - { name: c, url: http://x, deployment: d, api: grpc }
                  deployments:
                    - { name: m, backends: [a, zz] }
                """;
        assertThatThrownBy(() -> load(yaml))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).contains(
                        "gateway.prot: unknown key (did you mean 'port'?)",
                        "gateway.port: must be a whole number, was 'high'",
                        "gateway.backends[1].url: must be an absolute http(s) URL, was 'not a url'",
                        "gateway.backends[2].api: must be one of [azure, openai], was 'grpc'",
                        "gateway.deployments[0].backends[1]: no backend named 'zz' (known: a, b, c)"));
    }

    @Test
    void missingRequiredKeysAreNamed() {
        String yaml = """
                gateway:
                  backends:
                    - { url: http://127.0.0.1:1 }
                """;
        assertThatThrownBy(() -> load(yaml))
                .satisfies(e -> assertThat(((ConfigException) e).problems()).contains(
                        "gateway.backends[0].name: is required", "gateway.backends[0].deployment: is required"));
    }

    @Test
    void constructorRulesLandAtTheFieldPath() {
        String yaml = """
                gateway:
                  max-body-size: 10
                  backends:
                    - { name: a, url: http://127.0.0.1:1, deployment: d, auth: bearer }
                """;
        assertThatThrownBy(() -> load(yaml))
                .satisfies(e -> assertThat(((ConfigException) e).problems()).contains(
                        "gateway.backends[0].secret: is required when auth is api-key or bearer",
                        "gateway.max-body-size: must be at least 1KiB, was 10B"));
    }

    @Test
    void yamlSyntaxErrorsCarryLineAndColumn() {
        assertThatThrownBy(() -> ConfigLoader.parse("gateway:\n  port: [1,\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line");
    }

    @Test
    void unknownSecretFormIsRejected() {
        String yaml = """
                gateway:
                  keys: [ { name: k, key: "${vault:x}" } ]
                """;
        assertThatThrownBy(() -> load(yaml))
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .anyMatch(p -> p.startsWith("gateway.keys[0].key: must be ${env:NAME}")));
    }
}
