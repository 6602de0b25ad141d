package dev.spillway.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StreamEventTest {
    private final List<String> texts = new ArrayList<>();

    private Optional<JsonNode> read(String json) throws IOException {
        byte[] bytes = ("xx" + json + "yy").getBytes(StandardCharsets.UTF_8);
        return StreamEvent.read(bytes, 2, bytes.length - 4, texts::add);
    }

    @Test
    void azureChunkYieldsEveryGeneratedTextAndSkipsFilterResults() throws IOException {
        Optional<JsonNode> usage = read("{\"choices\":[{\"content_filter_results\":{\"hate\":{\"filtered\":false,"
                + "\"content\":\"not generated\"}},\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\","
                + "\"reasoning_content\":\"think\",\"tool_calls\":[{\"index\":0,\"function\":{\"name\":\"f\","
                + "\"arguments\":\"{}\"}}]},\"text\":\"legacy\",\"logprobs\":null}],\"usage\":null}");
        assertThat(texts).containsExactly("Hi", "think", "f", "{}", "legacy");
        assertThat(usage).isEmpty();
    }

    @Test
    void usageObjectIsReturnedWithItsFields() throws IOException {
        Optional<JsonNode> usage = read("{\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":2}}");
        assertThat(usage).get().extracting(u -> u.path("completion_tokens").asLong()).isEqualTo(2L);
        assertThat(texts).isEmpty();
    }

    @Test
    void responsesEventsCountDeltasOfDeltaEventsAndTakeTheResponsesUsage() throws IOException {
        read("{\"delta\":\"Hello\",\"type\":\"response.output_text.delta\"}");
        read("{\"type\":\"response.output_text.done\",\"delta\":\"not a delta event\"}");
        Optional<JsonNode> usage = read("{\"type\":\"response.completed\",\"response\":{\"id\":\"r\","
                + "\"output\":[{\"content\":[{\"text\":\"x\"}]}],\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}");
        assertThat(texts).containsExactly("Hello");
        assertThat(usage).get().extracting(u -> u.path("output_tokens").asLong()).isEqualTo(1L);
        assertThat(read("{\"response\":{\"id\":\"r\"},\"usage\":{\"input_tokens\":9}}")).isEmpty();
    }

    @Test
    void truncatedJsonIsAnErrorNotALoop() {
        assertThatThrownBy(() -> read("{\"choices\":[{\"delta\":{\"content\":\"a\"}}")).isInstanceOf(IOException.class);
    }
}
