package dev.spillway.gateway.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.FrontDoor;
import dev.spillway.gateway.testkit.Exchanges;
import dev.spillway.gateway.testkit.PolicyHarness;
import dev.spillway.gateway.testkit.Yaml;
import dev.spillway.gateway.server.Lifecycle;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The validate policy alone: parsing, deployment lookup and the few fields Spillway reads. */
class ValidatePolicyTest {
    static final GatewayConfig CONFIG = Yaml.gateway("""
            gateway:
              backends: [ { name: b, url: "http://127.0.0.1:1", deployment: d, probe: { kind: none } } ]
              deployments: [ { name: gpt-4o, backends: [b] } ]
            """);
    final PolicyHarness harness = new PolicyHarness(new ValidatePolicy(CONFIG));

    private Throwable refusal(Exchange e) {
        Throwable cause = harness.run(e).cause();
        assertThat(harness.proceeded()).isFalse();
        return cause;
    }

    @Test
    void aValidStreamingChatIsParsedAndPassedOn() {
        Exchange e = Exchanges.raw(FrontDoor.AZURE, Operation.CHAT_COMPLETIONS, "gpt-4o",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true,\"x\":1}");
        assertThat(harness.run(e).succeeded()).isTrue();
        assertThat(e.body()).isPresent();
        assertThat(e.stream()).isTrue();
        assertThat(e.clientWantsUsage()).isFalse();
    }

    @Test
    void theOpenAiDoorTakesTheDeploymentFromTheModelField() {
        Exchange e = Exchanges.raw(FrontDoor.OPENAI, Operation.CHAT_COMPLETIONS, "",
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(harness.run(e).succeeded()).isTrue();
        assertThat(e.deployment()).isEqualTo("gpt-4o");
    }

    @Test
    void brokenJsonIsA400ThatSaysSo() {
        assertThat(refusal(Exchanges.raw(FrontDoor.AZURE, Operation.CHAT_COMPLETIONS, "gpt-4o", "{\"messages\":")))
                .isInstanceOf(SpillwayException.InvalidRequest.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void anUnknownDeploymentIsA404ListingTheKnownOnes() {
        assertThat(refusal(Exchanges.raw(FrontDoor.AZURE, Operation.CHAT_COMPLETIONS, "gpt-5", "{\"messages\":[{}]}")))
                .isInstanceOf(SpillwayException.NotFound.class).hasMessageContaining("gpt-5").hasMessageContaining("gpt-4o");
    }

    @Test
    void anApiVersionThatPassedBeforeLetsNoOtherVersionThrough() {
        String chat = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertThat(harness.run(withApiVersion("2024-10-21", chat)).succeeded()).isTrue();
        assertThat(harness.run(withApiVersion("2024-10-21", chat)).succeeded()).isTrue();
        for (String version : List.of("2024-10-21\r", "2024-10-21&api-key=stolen", "2024-10-2", "")) {
            assertThat(refusal(withApiVersion(version, chat))).isInstanceOf(SpillwayException.InvalidRequest.class)
                    .hasMessageContaining("api-version");
        }
    }

    private static Exchange withApiVersion(String version, String body) {
        return new Exchange("req-v", Instant.EPOCH, System.nanoTime(), "POST",
                "/openai/deployments/gpt-4o/chat/completions", MultiMap.caseInsensitiveMultiMap(), FrontDoor.AZURE,
                Operation.CHAT_COMPLETIONS, "gpt-4o", Optional.of(version), Buffer.buffer(body),
                Lifecycle.COMPLETION_ORDER);
    }

    @Test
    void aChatWithoutMessagesIsA400NamingTheField() {
        assertThat(refusal(Exchanges.raw(FrontDoor.AZURE, Operation.CHAT_COMPLETIONS, "gpt-4o", "{}")))
                .isInstanceOf(SpillwayException.InvalidRequest.class).hasMessageContaining("'messages'");
    }
}
