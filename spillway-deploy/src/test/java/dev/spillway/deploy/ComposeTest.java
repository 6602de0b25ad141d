package dev.spillway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.simulator.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/compose: three hardened gateway replicas behind the front, with PostgreSQL, Redis and
 * RabbitMQ, and configs the gateway's and the simulator's own readers accept.
 */
class ComposeTest {
    static final Path DIR = Path.of("..", "deploy", "compose").toAbsolutePath().normalize();

    @Test
    void threeReadOnlyNonRootGatewaysShareTheStoresBehindTheFront() throws Exception {
        // SnakeYAML resolves the file's anchors (x-gateway: &gateway ... gateway-1: *gateway); Jackson's tree does not.
        Object compose = new Yaml().load(Files.readString(DIR.resolve("compose.yaml")));
        JsonNode services = new ObjectMapper().valueToTree(compose).path("services");
        List<String> names = StreamSupport.stream(((Iterable<String>) services::fieldNames).spliterator(), false).toList();
        assertThat(names).contains("gateway-1", "gateway-2", "gateway-3", "front", "postgres", "redis", "rabbitmq", "simulator");
        for (String g : List.of("gateway-1", "gateway-2", "gateway-3")) {
            JsonNode s = services.path(g);
            assertThat(s.path("read_only").asBoolean()).as(g + " read_only").isTrue();
            assertThat(s.path("user").asText()).isEqualTo("65532:65532");
            assertThat(s.path("healthcheck").path("test").toString()).contains("healthcheck", "/healthz");
            assertThat(s.path("depends_on").has("redis") && s.path("depends_on").has("postgres")).isTrue();
        }
    }

    @Test
    void theGatewayAndSimulatorConfigsAreValid() {
        ConfigNode root = ConfigLoader.read(DIR.resolve("gateway.yaml"), Map.of("SPILLWAY_ADMIN_KEY", "a".repeat(64),
                "SPILLWAY_APP_KEY", "b".repeat(64), "SPILLWAY_DB_PASSWORD", "spillway"));
        GatewayConfig gateway = GatewayConfig.from(root.child("gateway"));
        root.throwIfInvalid();
        assertThat(gateway.access().store().replicas()).isEqualTo(3);
        assertThat(gateway.access().database().url()).startsWith("jdbc:postgresql://postgres:5432/");
        ConfigNode sim = ConfigLoader.read(DIR.resolve("simulator.yaml"), Map.of());
        SimulatorConfig simulator = SimulatorConfig.from(sim.child("simulator"));
        sim.throwIfInvalid();
        assertThat(simulator.deployments()).hasSize(2);
    }
}
