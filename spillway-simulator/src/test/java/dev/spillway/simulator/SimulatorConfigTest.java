package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SimulatorConfigTest {
    static final String FULL = """
            simulator:
              host: 0.0.0.0
              port: 9000
              api-key: ${env:SIM_KEY}
              seed: 7
              latency: { time-to-first-token: 200ms, per-token: 5ms }
              deployments:
                - name: gpt-4o-ptu
                  model: gpt-4o-2024-11-20
                  kind: ptu
                  capacity-tokens-per-second: 2000
                - name: gpt-4o-paygo
                  model: gpt-4o-2024-11-20
                  kind: pay-as-you-go
                  tokens-per-minute: 30000
                  answer-mode: generate
                  latency: { per-token: 1ms }
                - name: text-embedding-3-small
                  model: text-embedding-3-small
                  tokens-per-minute: 350000
                  embedding-dimensions: 512
              faults:
                - { deployment: gpt-4o-paygo, status: 500, probability: 0.1 }
                - { fault: disconnect-mid-stream, probability: 0.05 }
            """;

    static SimulatorConfig read(String yaml) {
        ConfigNode root = ConfigLoader.parse(yaml, Map.of("SIM_KEY", "k-123"));
        SimulatorConfig config = SimulatorConfig.from(root.child("simulator"));
        root.throwIfInvalid();
        return config;
    }

    static List<String> problems(String yaml) {
        ConfigNode root = ConfigLoader.parse(yaml, Map.of());
        SimulatorConfig.from(root.child("simulator"));
        return root.problems();
    }

    @Test
    void fullSectionIsRead() {
        SimulatorConfig c = read(FULL);
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(9000);
        assertThat(c.apiKey().orElseThrow().value()).isEqualTo("k-123");
        assertThat(c.seed()).isEqualTo(7);
        assertThat(c.latency()).isEqualTo(new Latency(Duration.ofMillis(200), Duration.ofMillis(5)));
        DeploymentConfig paygo = c.deployment("gpt-4o-paygo").orElseThrow();
        assertThat(paygo.requestsPerMinute()).isEqualTo(180);
        assertThat(paygo.answerMode()).isEqualTo(AnswerMode.GENERATE);
        assertThat(c.latencyOf(paygo)).isEqualTo(new Latency(Duration.ofMillis(200), Duration.ofMillis(1)));
        assertThat(c.deployment("gpt-4o-ptu").orElseThrow().capacityTokensPerSecond()).isEqualTo(2000);
        assertThat(c.deployment("text-embedding-3-small").orElseThrow().embeddingDimensions()).isEqualTo(512);
        assertThat(c.faults()).containsExactly(
                new FaultRule(Optional.of("gpt-4o-paygo"), Fault.status(500), 0.1),
                new FaultRule(Optional.empty(), Fault.of(FaultKind.DISCONNECT_MID_STREAM), 0.05));
    }

    @Test
    void defaultsApply() {
        SimulatorConfig c = read("""
                simulator:
                  deployments: [{ name: d, model: gpt-4o, tokens-per-minute: 1000 }]
                """);
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(8081);
        assertThat(c.apiKey()).isEmpty();
        assertThat(c.latency()).isEqualTo(Latency.ZERO);
        DeploymentConfig d = c.deployments().getFirst();
        assertThat(d.kind()).isEqualTo(DeploymentKind.PAY_AS_YOU_GO);
        assertThat(d.requestsPerMinute()).isEqualTo(6);
        assertThat(d.answerMode()).isEqualTo(AnswerMode.AUTO);
        assertThat(d.completionTokens()).isEqualTo(100);
    }

    @Test
    void badKindIsReportedAtItsPath() {
        assertThat(problems("""
                simulator:
                  deployments: [{ name: d, model: gpt-4o, kind: spot, tokens-per-minute: 1000 }]
                """)).containsExactly("simulator.deployments[0].kind: must be one of [ptu, pay-as-you-go], was 'spot'");
    }

    @Test
    void everyProblemIsReportedWithItsPath() {
        assertThat(problems("""
                simulator:
                  prot: 1
                  latency: { per-token: soon }
                  deployments:
                    - { name: a, model: gpt-4o, kind: ptu }
                    - { name: b, tokens-per-minute: 1000 }
                  faults:
                    - { status: 500, fault: stall }
                    - { status: 200 }
                """)).containsExactlyInAnyOrder(
                "simulator.prot: unknown key (did you mean 'port'?)",
                "simulator.latency.per-token: must be a duration such as 250ms, 30s, 5m or PT30S, was 'soon'",
                "simulator.deployments[0].capacity-tokens-per-second: must be > 0, was 0",
                "simulator.deployments[1].model: is required",
                "simulator.faults[0]: needs exactly one of 'status' (an HTTP status) or 'fault' (a fault kind)",
                "simulator.faults[1].status: must be an HTTP error status 400-599, was 200");
    }

    @Test
    void missingDeploymentsAndDuplicatesAreReported() {
        assertThat(problems("simulator: { port: 1 }")).containsExactly("simulator.deployments: is required (at least one deployment)");
        assertThat(problems("""
                simulator:
                  deployments:
                    - { name: a, model: gpt-4o, tokens-per-minute: 1000 }
                    - { name: a, model: gpt-4o, tokens-per-minute: 1000 }
                """)).containsExactly("simulator.deployments: duplicate name 'a'");
    }

    @Test
    void faultForUnknownDeploymentIsReported() {
        assertThat(problems("""
                simulator:
                  deployments: [{ name: a, model: gpt-4o, tokens-per-minute: 1000 }]
                  faults: [{ deployment: b, status: 500 }]
                """)).containsExactly("simulator.faults: unknown deployment 'b'");
    }
}
