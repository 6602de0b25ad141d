package dev.spillway.gateway.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.gateway.testkit.Yaml;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code gateway.batch.rabbitmq}: read with its defaults, each mistake named at its path. */
class RabbitConfigTest {
    static final String BASE = """
            gateway:
              backends: [ { name: b, url: "http://127.0.0.1:1", deployment: d } ]
              deployments: [ { name: gpt-4o, backends: [b] } ]
              batch:
            """;

    static BatchConfig batch(String rabbitmq) {
        return Yaml.gateway(BASE + "    rabbitmq: " + rabbitmq + "\n").batch();
    }

    @Test
    void absentMeansNoMessageQueueWayIn() {
        assertThat(Yaml.gateway(BASE + "    max-in-flight: 2\n").batch().rabbitmq()).isEmpty();
    }

    @Test
    void theExchangeNamesEachDeploymentsQueueAndTheIdentityIsOptional() {
        RabbitConfig c = batch("{ uri: \"amqp://guest:guest@127.0.0.1:5672\" }").rabbitmq().orElseThrow();
        assertThat(c.exchange()).isEqualTo("spillway.requests");
        assertThat(c.queue("gpt-4o")).isEqualTo("spillway.requests.gpt-4o");
        assertThat(c.identity()).isEmpty();
        assertThat(c.confirmTimeout()).isEqualTo(Duration.ofSeconds(5));
        RabbitConfig named = batch("{ uri: \"amqp://h\", exchange: lane, identity: { app: nightly, team: ops },"
                + " confirm-timeout: 2s }").rabbitmq().orElseThrow();
        assertThat(named.identity()).contains(new RabbitConfig.Identity("nightly", "ops"));
        assertThat(named.queue("gpt-4o")).isEqualTo("lane.gpt-4o");
        assertThat(named.toString()).doesNotContain("amqp://h");
    }

    @Test
    void mistakesAreNamedAtTheirPath() {
        assertThatThrownBy(() -> batch("{ exchange: x }")).hasMessageContaining("gateway.batch.rabbitmq.uri");
        assertThatThrownBy(() -> batch("{ uri: \"amqp://h\", queue: q }")).hasMessageContaining("gateway.batch.rabbitmq")
                .hasMessageContaining("queue");
        assertThatThrownBy(() -> batch("{ uri: \"amqp://h\", identity: { team: ops } }"))
                .hasMessageContaining("gateway.batch.rabbitmq.identity.app");
        assertThatThrownBy(() -> batch("{ uri: \"amqp://h\", confirm-timeout: 0s }"))
                .hasMessageContaining("confirm-timeout: must be > 0");
    }
}
