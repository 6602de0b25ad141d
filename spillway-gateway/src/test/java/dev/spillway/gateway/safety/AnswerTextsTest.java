package dev.spillway.gateway.safety;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerTextsTest {
    final List<String> read = new ArrayList<>();

    List<String> texts(String json, boolean chat) {
        read.clear();
        assertThat(AnswerTexts.any(Buffer.buffer(json), chat, t -> !read.add(t))).isFalse();
        return read;
    }

    @Test
    void readsEachChoicesMessageContentAndToolCallArguments() {
        assertThat(texts("{\"id\":\"c\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"one\","
                + "\"tool_calls\":[{\"id\":\"t\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":1}\"}},"
                + "{\"function\":{\"arguments\":\"two\"}}]},\"content_filter_results\":{\"hate\":{\"severity\":\"safe\"}}},"
                + "{\"message\":{\"content\":\"three\",\"refusal\":\"not read\"}}],\"usage\":{\"total_tokens\":3}}", true))
                .containsExactly("one", "{\"a\":1}", "two", "three");
    }

    @Test
    void readsACompletionsTextAndNotAChatField() {
        assertThat(texts("{\"choices\":[{\"text\":\"done\",\"message\":{\"content\":\"x\"}}]}", false))
                .containsExactly("done");
        assertThat(texts("{\"choices\":[{\"text\":\"x\",\"message\":{\"content\":\"said\"}}]}", true))
                .containsExactly("said");
    }

    @Test
    void readsWhatATreeWalkReadsInOddShapesAndEveryRepeatedKey() {
        // A tree iterates an object's values as it does an array's; a repeated key keeps only the last.
        assertThat(texts("{\"choices\":{\"a\":{\"message\":{\"content\":\"first\",\"content\":\"second\","
                + "\"tool_calls\":{\"k\":{\"function\":{\"arguments\":\"args\"}}}}}}}", true))
                .containsExactly("first", "second", "args");
        assertThat(texts("{\"choices\":[{\"message\":{\"content\":null,\"tool_calls\":[{\"function\":{\"arguments\":{}}}]}},"
                + "\"text\",[1,2],{\"message\":\"flat\"}],\"content\":\"top level is no choice\"}", true)).isEmpty();
    }

    @Test
    void stopsAtTheFirstTextFlaggedAndSaysSo() {
        List<String> seen = new ArrayList<>();
        assertThat(AnswerTexts.any(Buffer.buffer("{\"choices\":[{\"message\":{\"content\":\"a\"}},"
                + "{\"message\":{\"content\":\"b\"}},{\"message\":{\"content\":\"c\"}}]}"), true,
                t -> seen.add(t) && t.equals("b"))).isTrue();
        assertThat(seen).containsExactly("a", "b");
    }

    @Test
    void anAnswerThatIsNotAJsonObjectHasNoTexts() {
        assertThat(texts("[{\"message\":{\"content\":\"x\"}}]", true)).isEmpty();
        assertThat(texts("not json", true)).isEmpty();
        assertThat(texts("", true)).isEmpty();
        assertThat(AnswerTexts.any(Buffer.buffer("{\"choices\":[{\"message\":{\"content\":\"x\"}"), true, t -> false))
                .isFalse();
    }
}
