package dev.spillway.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Reply;
import dev.spillway.gateway.testkit.Exchanges;
import dev.spillway.gateway.testkit.FakeStream;
import dev.spillway.gateway.testkit.PolicyHarness;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The meter policy alone: usage from whole replies and from streams. */
class MeterPolicyTest {
    final PolicyHarness harness = new PolicyHarness(new MeterPolicy());

    @Test
    void aWholeReplysUsageIsRead() {
        Exchange e = Exchanges.chat();
        harness.answers(Reply.json(200, Buffer.buffer("{\"id\":\"x\",\"usage\":{\"prompt_tokens\":9,"
                + "\"completion_tokens\":4,\"prompt_tokens_details\":{\"cached_tokens\":2}},\"choices\":[]}"))).run(e);
        assertThat(e.usage().promptTokens()).isEqualTo(9);
        assertThat(e.usage().completionTokens()).isEqualTo(4);
        assertThat(e.usage().cachedTokens()).isEqualTo(2);
        assertThat(e.usage().reported()).isTrue();
    }

    @Test
    void aStreamsUsageChunkIsReadAndHiddenFromAClientThatDidNotAskForIt() {
        FakeStream source = new FakeStream();
        Exchange e = Exchanges.chat("{\"messages\":[],\"stream\":true}");
        Reply reply = harness.streams(source).run(e).result();
        List<String> relayed = new ArrayList<>();
        ((Reply.Body.Streamed) reply.body()).chunks().handler(b -> relayed.add(b.toString()));
        source.push("data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n");
        source.push("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}\n\n");
        assertThat(e.usage().completionTokens()).isEqualTo(1);
        assertThat(String.join("", relayed)).contains("Hi").doesNotContain("usage");
    }

    @Test
    void anErrorReplyIsNotMetered() {
        Exchange e = Exchanges.chat();
        harness.answers(Reply.json(429, Buffer.buffer("{\"usage\":{\"prompt_tokens\":9}}"))).run(e);
        assertThat(e.usage().reported()).isFalse();
    }
}
