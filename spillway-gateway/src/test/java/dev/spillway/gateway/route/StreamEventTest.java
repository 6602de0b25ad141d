package dev.spillway.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamEventTest {
    private final List<String> texts = new ArrayList<>();
    private final StreamEvent event = new StreamEvent((text, offset, length) -> texts.add(new String(text, offset, length)));

    private JsonNode read(String json) throws IOException {
        byte[] bytes = ("xx" + json + "yy").getBytes(StandardCharsets.UTF_8);
        event.read(bytes, 2, bytes.length - 4);
        return event.usage();
    }

    @Test
    void azureChunkYieldsEveryGeneratedTextAndSkipsFilterResults() throws IOException {
        JsonNode usage = read("{\"choices\":[{\"content_filter_results\":{\"hate\":{\"filtered\":false,"
                + "\"content\":\"not generated\"}},\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\","
                + "\"reasoning_content\":\"think\",\"tool_calls\":[{\"index\":0,\"function\":{\"name\":\"f\","
                + "\"arguments\":\"{}\"}}]},\"text\":\"legacy\",\"logprobs\":null}],\"usage\":null}");
        assertThat(texts).containsExactly("Hi", "think", "f", "{}", "legacy");
        assertThat(usage).isNull();
        assertThat(event.usageNull()).isTrue();
        assertThat(event.usageChunk()).isFalse();
    }

    @Test
    void usageChunkIsRecognisedAndItsUsageReturned() throws IOException {
        JsonNode usage = read("{\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":2}}");
        assertThat(usage.path("completion_tokens").asLong()).isEqualTo(2L);
        assertThat(event.usageChunk()).isTrue();
        assertThat(event.usageNull()).isFalse();
        assertThat(texts).isEmpty();
    }

    @Test
    void usageInAChunkWithChoicesIsReadButThatChunkIsNotTheUsageChunk() throws IOException {
        assertThat(read("{\"choices\":[{\"delta\":{\"content\":\"x\"}}],\"usage\":{\"completion_tokens\":1}}")).isNotNull();
        assertThat(event.usageChunk()).isFalse();
        read("{\"choices\":[],\"prompt_filter_results\":[]}");
        assertThat(event.usageChunk()).isFalse(); // Azure's prompt-filter frame: no choices, no usage
    }

    @Test
    void whatOneEventSaidDoesNotCarryIntoTheNext() throws IOException {
        read("{\"choices\":[],\"usage\":{\"prompt_tokens\":12}}");
        assertThat(read("{\"choices\":[{\"delta\":{}}]}")).isNull();
        assertThat(event.usageChunk()).isFalse();
    }

    @Test
    void responsesEventsCountDeltasOfDeltaEventsAndTakeTheResponsesUsage() throws IOException {
        read("{\"delta\":\"Hello\",\"type\":\"response.output_text.delta\"}");
        read("{\"type\":\"response.output_text.done\",\"delta\":\"not a delta event\"}");
        JsonNode usage = read("{\"type\":\"response.completed\",\"response\":{\"id\":\"r\","
                + "\"output\":[{\"content\":[{\"text\":\"x\"}]}],\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}");
        assertThat(texts).containsExactly("Hello");
        assertThat(usage.path("output_tokens").asLong()).isEqualTo(1L);
        assertThat(event.usageChunk()).isFalse(); // response.completed is relayed, always
        assertThat(read("{\"response\":{\"id\":\"r\"},\"usage\":{\"input_tokens\":9}}")).isNull();
    }

    @Test
    void truncatedJsonIsAnErrorNotALoop() {
        assertThatThrownBy(() -> read("{\"choices\":[{\"delta\":{\"content\":\"a\"}}")).isInstanceOf(IOException.class);
    }
}
