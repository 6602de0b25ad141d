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
    void aChatWithoutMessagesIsA400NamingTheField() {
        assertThat(refusal(Exchanges.raw(FrontDoor.AZURE, Operation.CHAT_COMPLETIONS, "gpt-4o", "{}")))
                .isInstanceOf(SpillwayException.InvalidRequest.class).hasMessageContaining("'messages'");
    }
}
