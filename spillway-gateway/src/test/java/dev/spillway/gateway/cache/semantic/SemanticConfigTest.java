package dev.spillway.gateway.cache.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.config.ConfigException;
import dev.spillway.core.config.DataSize;
import dev.spillway.gateway.cache.CacheConfig;
import dev.spillway.gateway.testkit.Yaml;
import org.junit.jupiter.api.Test;

class SemanticConfigTest {
    private static final String BASE = """
            gateway:
              backends: [ { name: a, url: "http://127.0.0.1:1", deployment: d } ]
              deployments: [ { name: m, backends: [a] } ]
            """;

    @Test
    void defaultsAreStrictAndBounded() {
        CacheConfig.Semantic semantic = Yaml.gateway(BASE).cache().semantic();

        assertThat(semantic).isEqualTo(new CacheConfig.Semantic(false, 0.995, "all-minilm-l6-v2-q", 20_000,
                DataSize.ofMebibytes(48), 1, CacheConfig.Semantic.SharedIn.STORE));
    }

    @Test
    void readsEveryKey() {
        CacheConfig.Semantic semantic = Yaml.gateway(BASE + """
                  cache: { semantic: { enabled: true, threshold: 0.98, model: bge-small-en-v1.5-q, max-entries: 500,
                                       max-size: 8MiB, embed-threads: 2, shared-in: database } }
                """).cache().semantic();

        assertThat(semantic).isEqualTo(new CacheConfig.Semantic(true, 0.98, "bge-small-en-v1.5-q", 500,
                DataSize.ofMebibytes(8), 2, CacheConfig.Semantic.SharedIn.DATABASE));
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
