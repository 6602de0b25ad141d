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
}
