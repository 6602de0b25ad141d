package dev.spillway.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.config.BackendConfig;
import dev.spillway.gateway.config.ProbeConfig;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.FrontDoor;
import dev.spillway.gateway.testkit.Exchanges;
import dev.spillway.gateway.testkit.Fixtures;
import dev.spillway.gateway.testkit.PolicyHarness;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The translate policy alone: URL, headers and body as the backend gets them. */
class TranslatePolicyTest {
    final PolicyHarness harness = new PolicyHarness(new TranslatePolicy(50, false));
    static final BackendConfig AZURE = Fixtures.backend("payg", "eastus", "https://east.example.com");
    static final BackendConfig OPENAI = new BackendConfig("oai", URI.create("https://api.example.com/v1"),
            BackendConfig.Api.OPENAI, "gpt-4o-2024-11-20", BackendConfig.DEFAULT_API_VERSION, BackendConfig.Auth.NONE,
            Optional.empty(), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2), 8, "",
            ProbeConfig.DEFAULT, Optional.empty(), true, Optional.empty());

    private Upstream translate(Exchange e, BackendConfig backend) {
        e.upstream(new Upstream(backend));
        harness.run(e);
        assertThat(harness.proceeded()).isTrue();
        return e.upstream();
    }

    @Test
    void anAzureBackendGetsItsDeploymentInThePathAndTheClientsApiVersion() {
        Upstream up = translate(Exchanges.chat("{\"messages\":[],\"max_tokens\":5}"), AZURE);
        assertThat(up.uri()).isEqualTo("https://east.example.com/openai/deployments/gpt-4o/chat/completions"
                + "?api-version=2024-10-21");
        assertThat(up.body().toString()).isEqualTo("{\"messages\":[],\"max_tokens\":5}");
    }

    @Test
    void simulatorSteeringHeadersAreDroppedUnlessForwardingIsOnAndOtherHeadersPass() {
        Upstream dropped = translate(Exchanges.chat("{\"messages\":[],\"max_tokens\":5}", "x-sim-fault", "stall",
                "X-Sim-Status", "429", "x-custom", "kept"), AZURE);
        assertThat(dropped.headers().names()).noneMatch(n -> n.toLowerCase().startsWith("x-sim-"));
        assertThat(dropped.headers().get("x-custom")).isEqualTo("kept");
        Exchange e = Exchanges.chat("{\"messages\":[],\"max_tokens\":5}", "x-sim-fault", "stall");
        e.upstream(new Upstream(AZURE));
        new PolicyHarness(new TranslatePolicy(50, true)).run(e);
        assertThat(e.upstream().headers().get("x-sim-fault")).isEqualTo("stall");
    }

    @Test
    void anOpenAiBackendGetsItsModelInTheBody() {
        Upstream up = translate(Exchanges.chat("{\"messages\":[],\"max_tokens\":5}"), OPENAI);
        assertThat(up.uri()).isEqualTo("https://api.example.com/v1/chat/completions");
        assertThat(up.body().toString()).contains("\"model\":\"gpt-4o-2024-11-20\"");
    }

    @Test
    void aStreamAsksForTheUsageChunk() {
        Upstream up = translate(Exchanges.chat("{\"messages\":[],\"stream\":true,\"max_tokens\":5}"), AZURE);
        assertThat(up.body().toString()).contains("\"stream_options\":{\"include_usage\":true}");
    }

    @Test
    void aBackendWithStreamUsageOffIsNotAskedForTheUsageChunk() {
        String body = "{\"messages\":[],\"stream\":true,\"max_tokens\":5}";
        assertThat(translate(Exchanges.chat(body), azure("2024-10-21", false)).body().toString()).isEqualTo(body);
    }

    @Test
    void aStreamAsksForTheUsageChunkOnlyAtApiVersionsThatKnowStreamOptions() {
        String body = "{\"messages\":[],\"stream\":true,\"max_tokens\":5}";
        for (String version : new String[] {"2024-06-01", "2024-08-01-preview", "2024-02-15-preview"}) {
            assertThat(translate(openAiDoor(body), azure(version, true)).body().toString()).as(version).isEqualTo(body);
        }
        for (String version : new String[] {"2024-09-01-preview", "2024-10-21", "2025-04-01-preview", "v1", "preview"}) {
            assertThat(translate(openAiDoor(body), azure(version, true)).body().toString()).as(version)
                    .contains("\"stream_options\":{\"include_usage\":true}");
        }
    }

    @Test
    void theClientsOldApiVersionKeepsTheUsageRequestOffEvenOnANewBackend() {
        Exchange old = new Exchange("r", java.time.Instant.EPOCH, 0, "POST", "/", io.vertx.core.MultiMap.caseInsensitiveMultiMap(),
                FrontDoor.AZURE, Operation.CHAT_COMPLETIONS, "gpt-4o", Optional.of("2024-06-01"),
                io.vertx.core.buffer.Buffer.buffer("{\"messages\":[],\"stream\":true,\"max_tokens\":5}"),
                dev.spillway.gateway.server.Lifecycle.COMPLETION_ORDER);
        old.body(Exchanges.chat("{\"messages\":[],\"stream\":true,\"max_tokens\":5}").body().orElseThrow());
        old.stream(true);
        assertThat(translate(old, azure("2024-10-21", true)).body().toString()).doesNotContain("stream_options");
    }

    /** A streamed chat request through the OpenAI door (no api-version of its own: the backend's is used). */
    private static Exchange openAiDoor(String body) {
        Exchange e = Exchanges.raw(FrontDoor.OPENAI, Operation.CHAT_COMPLETIONS, "gpt-4o", body);
        e.body(Exchanges.chat(body).body().orElseThrow());
        e.stream(true);
        return e;
    }

    private static BackendConfig azure(String apiVersion, boolean streamUsage) {
        return new BackendConfig("old", AZURE.url(), BackendConfig.Api.AZURE, "gpt-4o", apiVersion,
                BackendConfig.Auth.NONE, Optional.empty(), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(2), 8, "", ProbeConfig.DEFAULT, Optional.empty(), streamUsage, Optional.empty());
    }

    @Test
    void aRequestWithoutMaxTokensGetsTheCapInTheFieldItsApiVersionKnows() {
        assertThat(translate(Exchanges.chat("{\"messages\":[]}"), AZURE).body().toString())
                .isEqualTo("{\"max_completion_tokens\":50,\"messages\":[]}");
        Exchange old = Exchanges.raw(FrontDoor.OPENAI, Operation.CHAT_COMPLETIONS, "gpt-4o", "{\"messages\":[]}");
        old.body(Exchanges.chat("{\"messages\":[]}").body().orElseThrow());
        BackendConfig before = new BackendConfig("old", AZURE.url(), BackendConfig.Api.AZURE, "gpt-4o", "2024-06-01",
                BackendConfig.Auth.NONE, Optional.empty(), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(2), 8, "", ProbeConfig.DEFAULT, Optional.empty(), true, Optional.empty());
        assertThat(translate(old, before).body().toString()).isEqualTo("{\"max_tokens\":50,\"messages\":[]}");
    }

    @Test
    void legacyCompletionsGetMaxTokensAndEmbeddingsNoCap() {
        Exchange completion = Exchanges.raw(FrontDoor.AZURE, Operation.COMPLETIONS, "gpt-4o", "{\"prompt\":\"x\"}");
        completion.body(Exchanges.chat("{\"prompt\":\"x\"}").body().orElseThrow());
        assertThat(translate(completion, AZURE).body().toString()).isEqualTo("{\"max_tokens\":50,\"prompt\":\"x\"}");
        Exchange embedding = Exchanges.raw(FrontDoor.AZURE, Operation.EMBEDDINGS, "gpt-4o", "{\"input\":\"x\"}");
        embedding.body(Exchanges.chat("{\"input\":\"x\"}").body().orElseThrow());
        assertThat(translate(embedding, AZURE).body().toString()).isEqualTo("{\"input\":\"x\"}");
    }

    @Test
    void aResponsesRequestGoesToTheV1RouteWithTheBackendsModelAndTheCapAsMaxOutputTokens() throws Exception {
        String body = "{\"model\":\"gpt-4o\",\"input\":\"hi\",\"previous_response_id\":\"resp_1\"}";
        Exchange e = Exchanges.raw(FrontDoor.AZURE_V1, Operation.RESPONSES, "gpt-4o", body);
        e.body((com.fasterxml.jackson.databind.node.ObjectNode) dev.spillway.core.wire.Json.MAPPER.readTree(body));
        Upstream azure = translate(e, AZURE);
        assertThat(azure.uri()).isEqualTo("https://east.example.com/openai/v1/responses");
        assertThat(azure.body().toString()).contains("\"model\":\"gpt-4o\"", "\"max_output_tokens\":50",
                "\"previous_response_id\":\"resp_1\"").doesNotContain("max_tokens\"", "stream_options");
        Exchange again = Exchanges.raw(FrontDoor.OPENAI, Operation.RESPONSES, "gpt-4o", body);
        again.body((com.fasterxml.jackson.databind.node.ObjectNode) dev.spillway.core.wire.Json.MAPPER.readTree(body));
        Upstream openai = translate(again, OPENAI);
        assertThat(openai.uri()).isEqualTo("https://api.example.com/v1/responses");
        assertThat(openai.body().toString()).contains("\"model\":\"gpt-4o-2024-11-20\"");
    }
}
