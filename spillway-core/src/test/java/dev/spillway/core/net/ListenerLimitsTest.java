package dev.spillway.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListenerLimitsTest {
    @Test
    void anAbsentSectionReadsAsTheDefaults() {
        ConfigNode root = ConfigLoader.parse("other: 1\n", Map.of());
        assertThat(ListenerLimits.from(root.child("listener"))).isEqualTo(ListenerLimits.DEFAULT);
        assertThat(ListenerLimits.DEFAULT.headerTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(root.problems()).isEmpty();
    }

    @Test
    void aPerAddressCapAboveTheListenerCapIsAProblemNamingBoth() {
        ConfigNode root = ConfigLoader.parse("listener: { max-connections: 10, max-connections-per-ip: 11 }\n", Map.of());
        ListenerLimits.from(root.child("listener"));
        assertThat(root.problems()).containsExactly(
                "listener.max-connections-per-ip: must be 1..10 (max-connections), was 11");
    }

    @Test
    void aKeepAliveShorterThanTheHeaderTimeoutIsAProblem() {
        ConfigNode root = ConfigLoader.parse("listener: { header-timeout: 30s, keep-alive-timeout: 5s }\n", Map.of());
        ListenerLimits.from(root.child("listener"));
        assertThat(root.problems()).singleElement().asString().startsWith("listener.keep-alive-timeout: must be >=");
    }
}
