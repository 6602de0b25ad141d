package dev.spillway.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.wire.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StreamTokenCounterTest {
    private static String delta(String content) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":" + Json.MAPPER.valueToTree(content) + "},\"finish_reason\":null}]}\n\n";
    }

    private static void feedInPieces(StreamTokenCounter counter, String sse, int piece) {
        byte[] bytes = sse.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += piece) counter.onChunk(bytes, i, Math.min(piece, bytes.length - i));
    }

    @Test
    void streamCutShortIsChargedForTheContentSeen() {
        StreamTokenCounter counter = new StreamTokenCounter();
        feedInPieces(counter, delta("Hello") + delta(" world") + delta(", how are you?"), 7);
        long expected = StreamTokenCounter.count("Hello world, how are you?");
        assertThat(counter.countedCompletionTokens()).isEqualTo(expected).isPositive();
        assertThat(counter.usage(42)).isEqualTo(new MeteredUsage(42, expected, 0, 0, true));
    }

    @Test
    void longStreamIsCountedInBatchesAsOneTextWouldBe() {
        StreamTokenCounter counter = new StreamTokenCounter();
        StringBuilder sse = new StringBuilder();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 3_000; i++) {
            String word = (i % 7 == 0 ? " Über" : " word") + i;
            sse.append(delta(word));
            text.append(word);
        }
        feedInPieces(counter, sse.toString(), 1_000);
        long whole = StreamTokenCounter.count(text.toString());
        long batches = text.length() / StreamTokenCounter.COUNT_BATCH + 1;
        // Each batch boundary may split one token in two, never more.
        assertThat(counter.countedCompletionTokens()).isBetween(whole, whole + batches);
    }

    @Test
    void textBeforeTheUsageChunkIsNotCountedAgainAfterIt() {
        StreamTokenCounter counter = new StreamTokenCounter();
        feedInPieces(counter, delta("Hi") + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}\n\n"
                + delta("late"), 4);
        assertThat(counter.countedCompletionTokens()).isZero();
        assertThat(counter.usage(99)).isEqualTo(new MeteredUsage(3, 1, 0, 0, false));
    }

    @Test
    void multiByteCharactersSplitAcrossChunksAreCountedOnce() {
        StreamTokenCounter whole = new StreamTokenCounter();
        StreamTokenCounter split = new StreamTokenCounter();
        String sse = delta("Grüße aus Zürich — 東京から") + delta("🙂");
        feedInPieces(whole, sse, 1 << 16);
        feedInPieces(split, sse, 1);
        assertThat(split.countedCompletionTokens()).isEqualTo(whole.countedCompletionTokens()).isPositive();
    }

    @Test
    void reportedUsageWinsOverTheCount() {
        StreamTokenCounter counter = new StreamTokenCounter();
        feedInPieces(counter, delta("Hi") + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":2,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":4},\"completion_tokens_details\":{\"reasoning_tokens\":1}}}\n\n"
                + "data: [DONE]\n\n", 5);
        assertThat(counter.usage(99)).isEqualTo(new MeteredUsage(12, 2, 4, 1, false));
    }

    @Test
    void toolCallArgumentsAndNonJsonEventsAreHandled() {
        StreamTokenCounter counter = new StreamTokenCounter();
        feedInPieces(counter, "event: error\ndata: upstream broke\n\n"
                + "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]}}]}\n\n", 3);
        assertThat(counter.countedCompletionTokens()).isEqualTo(StreamTokenCounter.count("{\"city\":\"Paris\"}"));
    }

    @Test
    void promptEstimateCountsMessageTextWithFraming() throws Exception {
        var body = Json.MAPPER.readTree("{\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}");
        assertThat(StreamTokenCounter.countPrompt(body))
                .isEqualTo(3 + 3 + StreamTokenCounter.count("user") + StreamTokenCounter.count("Hello there"));
    }

    @Test
    void responsesDeltasAreCountedAndResponseCompletedUsageWins() {
        String delta = "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\","
                + "\"delta\":\"Hello world\"}\n\n";
        String done = "event: response.output_text.done\ndata: {\"type\":\"response.output_text.done\","
                + "\"text\":\"Hello world\"}\n\n";
        StreamTokenCounter cut = new StreamTokenCounter();
        feedInPieces(cut, delta + done, 9);
        assertThat(cut.countedCompletionTokens()).isEqualTo(StreamTokenCounter.count("Hello world"));

        StreamTokenCounter whole = new StreamTokenCounter();
        feedInPieces(whole, delta + done + "event: response.completed\ndata: {\"type\":\"response.completed\","
                + "\"response\":{\"usage\":{\"input_tokens\":12,\"output_tokens\":2}}}\n\n", 9);
        assertThat(whole.usage(99)).isEqualTo(new MeteredUsage(12, 2, 0, 0, false));
    }

    @Test
    void responsesInputAndInstructionsCountAsPrompt() {
        var body = Json.MAPPER.createObjectNode().put("instructions", "Be brief.").put("input", "Hello there");
        assertThat(StreamTokenCounter.countPrompt(body)).isEqualTo(3 + StreamTokenCounter.count("Be brief.")
                + StreamTokenCounter.count("Hello there"));
    }
}
