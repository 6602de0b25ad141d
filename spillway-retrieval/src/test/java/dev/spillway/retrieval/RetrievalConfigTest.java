package dev.spillway.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.retrieval.embed.LocalModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetrievalConfigTest {
    private static ConfigNode root(String yaml) {
        return ConfigLoader.parse(yaml, Map.of("EMBED_KEY", "sk-1"));
    }

    @Test
    void aMissingSectionGivesTheDefaults() {
        ConfigNode root = root("chat: {}");
        assertThat(RetrievalConfig.from(root.child("chat").child("retrieval"))).isEqualTo(RetrievalConfig.DEFAULTS);
        assertThat(root.problems()).isEmpty();
        assertThat(RetrievalConfig.DEFAULTS.indexDir()).isEqualTo(Path.of("data/index"));
        assertThat(RetrievalConfig.DEFAULTS.localModel()).isEqualTo(LocalModel.BGE_SMALL_EN_V15_Q);
    }

    @Test
    void everyKeyIsRead() {
        ConfigNode root = root("""
                chat:
                  retrieval:
                    index-dir: /var/spillway/index
                    embedder: gateway
                    gateway: {base-url: "http://127.0.0.1:8080/v1", api-key: "${env:EMBED_KEY}", model: emb}
                    embed-max-tokens: 128
                    chunk-size: 800
                    chunk-overlap: 80
                    candidates: 50
                    fusion: rrf
                    rrf-k: 20
                    text-weight: 0.5
                    refresh-interval: 5s
                    default-groups: [staff]
                    access-groups:
                      - {path: "hr/**", groups: [hr, managers]}
                """);
        RetrievalConfig c = RetrievalConfig.from(root.child("chat").child("retrieval"));
        assertThat(root.problems()).isEmpty();
        assertThat(c.indexDir()).isEqualTo(Path.of("/var/spillway/index"));
        assertThat(c.embedder()).isEqualTo(RetrievalConfig.EmbedderKind.GATEWAY);
        assertThat(c.gateway().orElseThrow().apiKey().value()).isEqualTo("sk-1");
        assertThat(c.chunkSize()).isEqualTo(800);
        assertThat(c.embedMaxTokens()).isEqualTo(128);
        assertThat(c.search()).isEqualTo(new dev.spillway.retrieval.index.SearchTuning(50,
                dev.spillway.retrieval.index.SearchTuning.Fusion.RRF, 20, 0.5, Duration.ofSeconds(5)));
        assertThat(c.defaultGroups()).containsExactly("staff");
        assertThat(c.accessGroups()).singleElement().satisfies(r -> {
            assertThat(r.groups()).isEqualTo(Set.of("hr", "managers"));
            assertThat(r.matches("hr/2024/pay.pdf")).isTrue();
            assertThat(r.matches("public/pay.pdf")).isFalse();
        });
    }

    @Test
    void problemsAreReportedAtTheirPaths() {
        ConfigNode root = root("""
                chat:
                  retrieval:
                    embedder: gateway
                    chunk-size: 100
                    rrf-k: 0
                    index-dri: x
                    access-groups:
                      - {groups: [hr]}
                """);
        RetrievalConfig.from(root.child("chat").child("retrieval"));
        assertThat(root.problems()).contains(
                "chat.retrieval.index-dri: unknown key (did you mean 'index-dir'?)",
                "chat.retrieval.rrf-k: must be >= 1, was 0",
                "chat.retrieval.access-groups[0].path: is required");
        RetrievalConfig.from(root("chat: {retrieval: {embedder: gateway}}").child("chat").child("retrieval"));
    }

    @Test
    void theLocalModelIsChosenByItsId() {
        ConfigNode root = root("chat: {retrieval: {local-model: all-minilm-l6-v2-q}}");
        RetrievalConfig c = RetrievalConfig.from(root.child("chat").child("retrieval"));
        assertThat(root.problems()).isEmpty();
        assertThat(c.localModel()).isEqualTo(LocalModel.ALL_MINILM_L6_V2_Q);
        ConfigNode wrong = root("chat: {retrieval: {local-model: gpt-embed}}");
        RetrievalConfig.from(wrong.child("chat").child("retrieval"));
        assertThat(wrong.problems()).containsExactly("chat.retrieval.local-model: must be one of "
                + "[all-minilm-l6-v2-q, bge-small-en-v1.5-q], was 'gpt-embed'");
    }

    @Test
    void theGatewayEmbedderNeedsItsSection() {
        ConfigNode root = root("chat: {retrieval: {embedder: gateway, chunk-size: 100}}");
        RetrievalConfig.from(root.child("chat").child("retrieval"));
        assertThat(root.problems()).containsExactly("chat.retrieval.gateway: is required when embedder is 'gateway'");
    }
}
