package dev.spillway.gateway.access.limit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Json;
import org.junit.jupiter.api.Test;

class TokenEstimateTest {
    static ObjectNode body(String json) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(json);
    }

    @Test
    void chatPromptsAreCharactersOverFourPlusAFewPerMessageAndCompletionIsMaxTokensTimesN() throws Exception {
        TokenEstimate e = TokenEstimate.of(body("""
                {"messages":[{"role":"system","content":"12345678"},
                             {"role":"user","content":[{"type":"text","text":"abcd"}]}],"n":2}"""), 100, true);
        assertThat(e.prompt()).isEqualTo((6 + 8 + 4 + 4 + 4 + 3) / 4 + 8);
        assertThat(e.completion()).isEqualTo(200);
    }

    @Test
    void embeddingsGenerateNothing() throws Exception {
        TokenEstimate e = TokenEstimate.of(body("{\"input\":[\"abcdefgh\",\"abcd\"]}"), 100, false);
        assertThat(e).isEqualTo(new TokenEstimate(3, 0));
    }

    @Test
    void responsesInputAndInstructionsAreThePrompt() throws Exception {
        TokenEstimate e = TokenEstimate.of(body("""
                {"model":"gpt-4o","instructions":"12345678","input":[{"role":"user","content":"abcdefgh"}]}"""), 20, true);
        assertThat(e.prompt()).as("instructions, role and content characters / 4, rounded up").isEqualTo((8 + 4 + 8 + 3) / 4);
        assertThat(e.completion()).isEqualTo(20);
    }
}
