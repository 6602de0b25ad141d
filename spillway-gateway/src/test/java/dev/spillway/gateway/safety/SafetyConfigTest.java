package dev.spillway.gateway.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SafetyConfigTest {
    static List<String> problems(String guards) {
        ConfigNode root = ConfigLoader.parse("safety:\n  guards:\n" + guards, Map.of());
        SafetyConfig.from(root.child("safety"));
        return root.problems();
    }

    @Test
    void aFullGuardReadsWithItsDefaults() {
        ConfigNode root = ConfigLoader.parse("""
                safety:
                  guards:
                    - name: support
                      apps: [support]
                      input: { injection: block, pii: redact }
                      output: { secrets: annotate }
                      limits: { max-messages: 5, roles: [user, assistant] }
                    - { name: rest, input: { pii: log } }
                """, Map.of());
        SafetyConfig config = SafetyConfig.from(root.child("safety"));
        assertThat(root.problems()).isEmpty();
        GuardConfig g = config.guards().get(0);
        assertThat(g.input()).containsEntry(Check.INJECTION, Action.BLOCK).containsEntry(Check.PII, Action.REDACT);
        assertThat(g.output()).containsExactly(Map.entry(Check.SECRETS, Action.ANNOTATE));
        assertThat(g.injectionThreshold()).isEqualTo(GuardConfig.DEFAULT_THRESHOLD);
        assertThat(g.holdBack()).isEqualTo(GuardConfig.DEFAULT_HOLD_BACK);
        assertThat(g.limits().maxMessages()).hasValue(5);
        assertThat(g.limits().temperature()).isEqualTo(new RequestLimits.Range(0, 2));
        assertThat(config.guardFor("support", "k", "gpt-4o").map(GuardConfig::name)).hasValue("support");
        assertThat(config.guardFor("billing", "k", "gpt-4o").map(GuardConfig::name)).hasValue("rest");
        assertThat(SafetyConfig.from(ConfigLoader.parse("{}", Map.of()).child("safety")).guards()).isEmpty();
    }

    @Test
    void mistakesAreReportedAtTheirPath() {
        assertThat(problems("    - { name: a, input: { injection: redact } }\n"))
                .containsExactly("safety.guards[0].input.injection: cannot redact (a score has no span); use block, annotate or log");
        assertThat(problems("    - { name: a, output: { injection: block } }\n")).singleElement().asString()
                .startsWith("safety.guards[0].output.injection: the injection check reads prompts only");
        assertThat(problems("    - { name: a, input: { pii: shred } }\n")).singleElement().asString()
                .isEqualTo("safety.guards[0].input.pii: must be one of [block, redact, annotate, log], was 'shred'");
        assertThat(problems("    - { name: a, input: { pi: block } }\n")).singleElement().asString()
                .startsWith("safety.guards[0].input.pi: unknown key (did you mean 'pii'?)");
        assertThat(problems("    - { name: a, input: { custom: block } }\n")).singleElement().asString()
                .isEqualTo("safety.guards[0].custom: needs custom-patterns or blocked-words");
        assertThat(problems("    - { name: a, injection-threshold: 1.5 }\n")).singleElement().asString()
                .isEqualTo("safety.guards[0].injection-threshold: must be > 0 and <= 1, was 1.5");
        assertThat(problems("    - { name: a, limits: { roles: [user, robot] } }\n")).singleElement().asString()
                .startsWith("safety.guards[0].limits.roles: unknown role 'robot'");
        assertThat(problems("    - { name: a, custom-patterns: [ { name: email, pattern: \"x\" } ] }\n"))
                .singleElement().asString().isEqualTo(
                        "safety.guards[0].custom-patterns: 'email' is a built-in rule name; pick another");
        assertThat(problems("    - { name: a }\n    - { name: a }\n")).singleElement().asString()
                .isEqualTo("safety.guards: duplicate guard name 'a'");
    }

    @Test
    void everyOutboundHostMustBeOnTheListWhenThereIsOne() {
        ConfigNode root = ConfigLoader.parse("""
                gateway:
                  backends:
                    - { name: ok, url: "https://east.openai.azure.com", deployment: d }
                    - { name: bad, url: "https://evil.example", deployment: d }
                  deployments: [ { name: gpt-4o, backends: [ok, bad] } ]
                  jwt:
                    issuers: [ { issuer: "https://login.example/t", audience: api, jwks-uri: "https://login.example/keys" } ]
                  safety:
                    outbound-hosts: ["*.openai.azure.com", "127.0.0.1"]
                    guards:
                      - { name: g, input: { content-safety: block }, content-safety: { endpoint: "http://127.0.0.1:9" } }
                """, Map.of());
        dev.spillway.gateway.config.GatewayConfig.from(root.child("gateway"));
        assertThat(root.problems()).containsExactly(
                "gateway.backends[1].url: host 'evil.example' is not in safety.outbound-hosts [*.openai.azure.com, 127.0.0.1]",
                "gateway.jwt.issuers[0].jwks-uri: host 'login.example' is not in safety.outbound-hosts "
                        + "[*.openai.azure.com, 127.0.0.1]");
    }
}
