package dev.spillway.gateway.cache.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.config.ConfigException;
import dev.spillway.core.config.DataSize;
import dev.spillway.gateway.cache.CacheConfig;
import dev.spillway.gateway.testkit.Yaml;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SemanticConfigTest {
    private static final String BASE = """
            gateway:
              backends: [ { name: a, url: "http://127.0.0.1:1", deployment: d } ]
              deployments: [ { name: m, backends: [a] } ]
            """;
    private static final String EMBEDDINGS = """
            gateway:
              backends:
                - { name: a, url: "http://127.0.0.1:1", deployment: d }
                - { name: e, url: "http://127.0.0.1:1", deployment: text-embedding-3-small }
              deployments: [ { name: m, backends: [a] }, { name: emb, backends: [e] } ]
            """;

    @Test
    void defaultsAreStrictAndBounded() {
        CacheConfig.Semantic semantic = Yaml.gateway(BASE).cache().semantic();

        assertThat(semantic).isEqualTo(new CacheConfig.Semantic(false, 0.995, "all-minilm-l6-v2-q", Duration.ofSeconds(1), 20_000,
                DataSize.ofMebibytes(48), 1, CacheConfig.Semantic.SharedIn.STORE));
    }

    @Test
    void readsEveryKey() {
        CacheConfig.Semantic semantic = Yaml.gateway(BASE + """
                  cache: { semantic: { enabled: true, threshold: 0.98, model: bge-small-en-v1.5-q, max-entries: 500,
                                       max-size: 8MiB, embed-threads: 2, shared-in: database, embed-timeout: 250ms } }
                """).cache().semantic();

        assertThat(semantic).isEqualTo(new CacheConfig.Semantic(true, 0.98, "bge-small-en-v1.5-q", Duration.ofMillis(250), 500,
                DataSize.ofMebibytes(8), 2, CacheConfig.Semantic.SharedIn.DATABASE));
    }

    @Test
    void theModelMayBeAnEmbeddingsDeploymentOfTheGateway() {
        CacheConfig.Semantic semantic = Yaml.gateway(EMBEDDINGS + "  cache: { semantic: { model: \"deployment:emb\" } }\n")
                .cache().semantic();

        assertThat(semantic.deployment()).contains("emb");
        assertThat(CacheConfig.Semantic.DEFAULT.deployment()).isEmpty();
    }

    @Test
    void aModelDeploymentThatIsMissingOrNotForEmbeddingsIsRefused() {
        assertThatThrownBy(() -> Yaml.gateway(EMBEDDINGS + "  cache: { semantic: { model: \"deployment:nope\" } }\n"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems().toString())
                        .contains("cache.semantic.model: no deployment named 'nope' (known: m, emb)"));
        assertThatThrownBy(() -> Yaml.gateway(EMBEDDINGS + "  cache: { semantic: { model: \"deployment:m\" } }\n"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems().toString())
                        .contains("cache.semantic.model: deployment 'm' is not an embeddings model: backend 'a'"
                                + " serves 'd'"));
        assertThatThrownBy(() -> Yaml.gateway(EMBEDDINGS + "  cache: { semantic: { model: \"deployment:\" } }\n"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems().toString())
                        .contains("semantic.model: 'deployment:' must name a deployment"));
    }

    @Test
    void badValuesAreReportedWithTheirKey() {
        assertThatThrownBy(() -> Yaml.gateway(BASE + "  cache: { semantic: { max-entries: 0 } }\n"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems().toString())
                        .contains("semantic.max-entries: must be >= 1, was 0"));
        assertThatThrownBy(() -> Yaml.gateway(BASE + "  cache: { semantic: { embed-threads: 99 } }\n"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems().toString())
                        .contains("semantic.embed-threads: must be 1-64, was 99"));
    }

    @Test
    void theEntriesAreSharedWhereStoreTypeOrSharedInSays() {
        assertThat(kind("")).isEmpty();
        assertThat(kind("  store: { type: redis }\n")).contains(SemanticStoreProvider.Kind.REDIS);
        assertThat(kind("  store: { type: redis }\n  database: { url: \"jdbc:postgresql://db/spillway\" }\n"
                + "  cache: { semantic: { shared-in: database } }\n")).contains(SemanticStoreProvider.Kind.POSTGRESQL);
        assertThatThrownBy(() -> kind("  cache: { semantic: { shared-in: database } }\n"))
                .hasMessageContaining("shared-in: database needs a PostgreSQL gateway.database.url")
                .hasMessageContaining("was 'jdbc:sqlite:data/spillway.db'");
        assertThatThrownBy(() -> Yaml.gateway(BASE + "  cache: { semantic: { shared-in: redis } }\n"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems().toString())
                        .contains("shared-in", "must be one of [store, database], was 'redis'"));
    }

    private static java.util.Optional<SemanticStoreProvider.Kind> kind(String yaml) {
        var gateway = Yaml.gateway(BASE + yaml);
        return LuceneSemanticIndexProvider.sharedKind(gateway.cache().semantic(), gateway.access());
    }
}
