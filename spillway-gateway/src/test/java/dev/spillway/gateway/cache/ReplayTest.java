package dev.spillway.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReplayTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aPlainReplayReplacesIdAndCreatedInPlaceAndKeepsEveryOtherByteOfMeaning() {
        String stored = """
                {"id":"chatcmpl-old","object":"chat.completion","created":1700000000,"model":"gpt-4o",\
                "choices":[{"index":0,"message":{"role":"assistant","content":"Hi \\"there\\" é"},\
                "logprobs":{"p":-0.10000000000000000555},"finish_reason":"stop"}],\
                "usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7},"x_unknown":[1,2.50,null,true]}""";

        String replayed = Replay.json(utf8(stored), "chatcmpl-new", 1800000000L).toString();

        assertThat(replayed).isEqualTo(stored.replace("chatcmpl-old", "chatcmpl-new")
                .replace("1700000000", "1800000000"));
    }

    @Test
    void aPlainReplayAddsIdAndCreatedWhenTheStoredAnswerHasNone() {
        String replayed = Replay.json(utf8("{\"object\":\"chat.completion\"}"), "chatcmpl-new", 42).toString();

        assertThat(replayed).isEqualTo("{\"object\":\"chat.completion\",\"id\":\"chatcmpl-new\",\"created\":42}");
    }

    @Test
    void anAnswerKeptWithIdAndTimeFirstIsReplayedByItsBytesWithEveryFieldAsItWas() throws Exception {
        String answer = """
                {"object":"chat.completion","id":"chatcmpl-old","created":1700000000,"model":"gpt-4o",\
                "choices":[{"index":0,"message":{"role":"assistant","content":"Hi \\"there\\" é"},\
                "logprobs":{"p":-0.10000000000000000555},"finish_reason":"stop"}],"x_unknown":[1,2.50,null,true]}""";
        byte[] kept = Replay.stored((com.fasterxml.jackson.databind.node.ObjectNode)
                dev.spillway.core.wire.Json.MAPPER.readTree(utf8(answer)));

        String replayed = Replay.json(kept, "chatcmpl-new", 1800000000L).toString();

        // 2.50 is 2.5 once kept: the answer is read into a tree to be checked, as it always was.
        assertThat(new String(kept, StandardCharsets.UTF_8)).startsWith("{\"id\":\"\",\"created\":0,\"object\"");
        assertThat(replayed).isEqualTo("""
                {"id":"chatcmpl-new","created":1800000000,"object":"chat.completion","model":"gpt-4o",\
                "choices":[{"index":0,"message":{"role":"assistant","content":"Hi \\"there\\" é"},\
                "logprobs":{"p":-0.10000000000000000555},"finish_reason":"stop"}],"x_unknown":[1,2.5,null,true]}""");
        assertThat(Replay.json(kept, "chatcmpl-\"odd", 1).toString()).startsWith("{\"id\":\"chatcmpl-\\\"odd\"");
    }
}
