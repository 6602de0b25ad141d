package dev.spillway.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.config.ConfigException;
import dev.spillway.gateway.testkit.Yaml;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CacheConfigTest {
    static CacheConfig read(String cache) {
        return Yaml.gateway("gateway:\n  cache:\n" + cache).cache();
    }

    @Test
    void anAppEntryOverridesTheSectionAndOtherAppsKeepItsDefaults() {
        CacheConfig c = read("""
                    ttl: 30m
                    semantic: { enabled: true, threshold: 0.9 }
                    apps:
                      - { app: chat, enabled: true, partition: user, threshold: 0.97 }
                      - { app: quiet, enabled: true, semantic: false }
                """);
        CacheConfig.AppPolicy chat = c.forApp("chat");
        assertThat(chat).isEqualTo(new CacheConfig.AppPolicy(true, Duration.ofMinutes(30), CacheConfig.Scope.USER,
                true, 0.97));
        assertThat(c.forApp("quiet").semantic()).isFalse();
        assertThat(c.forApp("other").enabled()).isFalse();
        assertThat(c.anyEnabled()).isTrue();
    }

    @Test
    void withoutTheSectionNoAppHasTheCache() {
        CacheConfig c = Yaml.gateway("gateway:\n  port: 0\n").cache();
        assertThat(c).isEqualTo(CacheConfig.DEFAULT);
        assertThat(c.anyEnabled()).isFalse();
    }

    @Test
    void badValuesAreRefusedWithTheirPath() {
        assertThatThrownBy(() -> read("    ttl: 0s\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ttl: must be between 1s and 30d");
        assertThatThrownBy(() -> read("    semantic: { threshold: 1.5 }\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("threshold: must be > 0 and <= 1, was 1.5");
        assertThatThrownBy(() -> read("    partition: tenant\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("partition");
        assertThatThrownBy(() -> read("    apps: [ { app: a }, { app: a } ]\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("app 'a' is listed twice");
        assertThatThrownBy(() -> read("    max-entry-size: 128MiB\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("max-entry-size");
    }
}
