package dev.spillway.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.wire.Json;
import org.junit.jupiter.api.Test;

class StreamTokenCounterTest {
    private static void feed(StreamTokenCounter counter, String... deltas) {
        for (String d : deltas) {
            // as the meter hands text over: from a larger buffer, at an offset
            char[] buffer = ("[" + d + "]").toCharArray();
            counter.append(buffer, 1, d.length());
        }
    }

    @Test
    void streamCutShortIsChargedForTheContentSeen() {
        StreamTokenCounter counter = new StreamTokenCounter();
        feed(counter, "Hello", " world", ", how are you?");
        assertThat(counter.countedCompletionTokens()).isEqualTo(StreamTokenCounter.count("Hello world, how are you?"))
                .isPositive();
    }

    @Test
    void longStreamIsCountedInBatchesAsOneTextWouldBe() {
        StreamTokenCounter counter = new StreamTokenCounter();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 3_000; i++) {
            String word = (i % 7 == 0 ? " Über" : " word") + i;
            feed(counter, word);
            text.append(word);
        }
        long whole = StreamTokenCounter.count(text.toString());
        long batches = text.length() / StreamTokenCounter.COUNT_BATCH + 1;
        // Each batch boundary may split one token in two, never more.
        assertThat(counter.countedCompletionTokens()).isBetween(whole, whole + batches);
    }

    @Test
    void aCounterThatSawNoTextCountsZero() {
        assertThat(new StreamTokenCounter().countedCompletionTokens()).isZero();
    }

    @Test
    void promptEstimateCountsMessageTextWithFraming() throws Exception {
        var body = Json.MAPPER.readTree("{\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}");
        assertThat(StreamTokenCounter.countPrompt(body))
                .isEqualTo(3 + 3 + StreamTokenCounter.count("user") + StreamTokenCounter.count("Hello there"));
    }

    @Test
    void responsesInputAndInstructionsCountAsPrompt() {
        var body = Json.MAPPER.createObjectNode().put("instructions", "Be brief.").put("input", "Hello there");
        assertThat(StreamTokenCounter.countPrompt(body)).isEqualTo(3 + StreamTokenCounter.count("Be brief.")
                + StreamTokenCounter.count("Hello there"));
    }
}
