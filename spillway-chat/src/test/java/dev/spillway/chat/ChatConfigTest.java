package dev.spillway.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.retrieval.SearchMode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatConfigTest {
    private static ConfigNode chat(String yaml) {
        return ConfigLoader.parse(yaml, Map.of("GW_KEY", "k-123")).child("chat");
    }

    @Test
    void minimalSectionGetsTheDocumentedDefaults() {
        ConfigNode node = chat("chat:\n  gateway-key: ${env:GW_KEY}\n");
        ChatConfig c = ChatConfig.from(node);
        assertThat(node.problems()).isEmpty();
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(8090);
        assertThat(c.gatewayUrl()).hasToString("http://127.0.0.1:8080");
        assertThat(c.gatewayKey().value()).isEqualTo("k-123");
        assertThat(c.deployment()).isEqualTo("gpt-4o-mini");
        assertThat(c.apiVersion()).isEqualTo("2024-10-21");
        assertThat(c.history().url()).isEqualTo("jdbc:sqlite:data/chat.db");
        assertThat(c.sessionTtl()).isEqualTo(Duration.ofHours(8));
        assertThat(c.defaults().mode()).isEqualTo(SearchMode.HYBRID);
        assertThat(c.defaults().topK()).isEqualTo(3);
        assertThat(c.historyTokenBudget()).isEqualTo(2000);
        assertThat(c.oidc()).isEmpty();
        assertThat(c.flowFile()).isEmpty();
        assertThat(c.exampleQuestions()).isEmpty();
        assertThat(c.otlpEndpoint()).isEmpty();
    }

    @Test
    void exampleQuestionsAndTheTraceEndpointAreReadAndChecked() {
        ConfigNode ok = chat("chat:\n  gateway-key: k\n  example-questions: [\"How many days off?\"]\n"
                + "  otlp-endpoint: http://127.0.0.1:4318/v1/traces\n");
        ChatConfig c = ChatConfig.from(ok);
        assertThat(ok.problems()).isEmpty();
        assertThat(c.exampleQuestions()).containsExactly("How many days off?");
        assertThat(c.otlpEndpoint()).map(Object::toString).contains("http://127.0.0.1:4318/v1/traces");
        ConfigNode blank = chat("chat:\n  gateway-key: k\n  example-questions: [\"\"]\n");
        ChatConfig.from(blank);
        assertThat(blank.problems()).anySatisfy(p -> assertThat(p)
                .contains("example-questions: at most 8 questions of 1-200 characters each"));
        ConfigNode udp = chat("chat:\n  gateway-key: k\n  otlp-endpoint: \"udp://x\"\n");
        ChatConfig.from(udp);
        assertThat(udp.problems()).containsExactly("chat.otlp-endpoint: must be an absolute http(s) URL, was 'udp://x'");
    }

    @Test
    void everyProblemIsReportedAtItsPath() {
        ConfigNode node = chat("""
                chat:
                  gateway-url: ftp://x
                  port: 70000
                  users:
                    - {name: alice, password-hash: hunter2}
                  history: {url: "jdbc:mysql://db"}
                  defaults: {search-mode: fuzzy, top-k: 0}
                  oidc: {issuer: "https://id.example", redirect-uri: "https://chat.example/auth/oidc/callback"}
                  colour: blue
                """);
        ChatConfig.from(node);
        assertThat(node.problems()).contains(
                "chat.gateway-key: is required",
                "chat.colour: unknown key",
                "chat.users[0].password-hash: must be the output of 'spillway chat hash-password'"
                        + " (pbkdf2-sha256$<iterations>$<salt>$<hash>)",
                "chat.history.url: must start with jdbc:sqlite: or jdbc:postgresql:, was 'jdbc:mysql://db'",
                "chat.defaults.search-mode: must be one of [text, vector, hybrid], was 'fuzzy'",
                "chat.oidc.client-id: is required");
    }

    @Test
    void oidcSectionIsReadWithDefaults() {
        ConfigNode node = chat("""
                chat:
                  gateway-key: k
                  oidc: {issuer: "https://id.example", client-id: chat, redirect-uri: "https://chat.example/auth/oidc/callback"}
                """);
        ChatConfig c = ChatConfig.from(node);
        assertThat(node.problems()).isEmpty();
        assertThat(c.oidc().orElseThrow().groupsClaim()).isEqualTo("groups");
        assertThat(c.oidc().orElseThrow().provider().scopes()).containsExactly("openid", "profile", "email");
        assertThat(c.oidc().orElseThrow().provider().clientSecret()).isEmpty();
    }
}
