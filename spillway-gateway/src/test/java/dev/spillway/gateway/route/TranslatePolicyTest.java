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
        BackendConfig old = new BackendConfig("old", AZURE.url(), BackendConfig.Api.AZURE, "gpt-4o", "2024-06-01",
                BackendConfig.Auth.NONE, Optional.empty(), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(2), 8, "", ProbeConfig.DEFAULT, Optional.empty(), false, Optional.empty());
        String body = "{\"messages\":[],\"stream\":true,\"max_tokens\":5}";
        assertThat(translate(Exchanges.chat(body), old).body().toString()).isEqualTo(body);
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
}
