package dev.spillway.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.gateway.pipeline.Usage;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseMeterTest {
    static final String ROLE = "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}],\"usage\":null}\n\n";
    static final String TEXT = "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}],\"usage\":null}\n\n";
    static final String USAGE = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":3}}}\n\n";
    static final String DONE = "data: [DONE]\n\n";
    static final String STREAM = ROLE + TEXT + USAGE + DONE;

    /** Feeds {@code chunks} through a meter and returns what came out, and the usage it saw. */
    static Result relay(boolean clientWantsUsage, String... chunks) {
        Source source = new Source();
        List<Usage> usage = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        List<Integer> emitted = new ArrayList<>();
        SseMeter meter = new SseMeter(source, clientWantsUsage, usage::add);
        meter.handler(b -> {
            out.append(b.toString());
            emitted.add(b.length());
        });
        boolean[] ended = new boolean[1];
        meter.endHandler(v -> ended[0] = true);
        for (String c : chunks) source.handler.handle(Buffer.buffer(c));
        source.end.handle(null);
        assertThat(ended[0]).isTrue();
        return new Result(out.toString(), usage, emitted);
    }

    record Result(String text, List<Usage> usage, List<Integer> emitted) {
    }

    @Test
    void clientThatDidNotAskSeesTheStreamWithoutUsageButUsageIsRecorded() {
        Result r = relay(false, STREAM);
        assertThat(r.text()).isEqualTo("data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\n\n"
                + "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n" + DONE);
        assertThat(r.usage()).containsExactly(new Usage(7, 2, 3, 0, true));
    }

    @Test
    void clientThatAskedGetsTheStreamByteForByte() {
        Result r = relay(true, STREAM);
        assertThat(r.text()).isEqualTo(STREAM);
        assertThat(r.usage()).hasSize(1);
    }

    @Test
    void framesSplitAcrossChunksAreReassembledBeforeTheUsageFrameIsJudged() {
        String whole = STREAM;
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < whole.length(); i += 7) pieces.add(whole.substring(i, Math.min(whole.length(), i + 7)));
        Result r = relay(false, pieces.toArray(String[]::new));
        assertThat(r.text()).doesNotContain("usage").endsWith(DONE);
        assertThat(r.usage()).containsExactly(new Usage(7, 2, 3, 0, true));
    }

    @Test
    void framesEndedWithCrlfAreFramedAndTheUsageFrameIsRemovedAsWell() {
        String crlf = STREAM.replace("\n", "\r\n");
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < crlf.length(); i += 5) pieces.add(crlf.substring(i, Math.min(crlf.length(), i + 5)));
        Result r = relay(false, pieces.toArray(String[]::new));
        assertThat(r.text()).isEqualTo("data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\r\n\r\n"
                + "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\r\n\r\n" + "data: [DONE]\r\n\r\n");
        assertThat(r.usage()).containsExactly(new Usage(7, 2, 3, 0, true));
        assertThat(r.emitted()).allMatch(n -> n > 0);
    }

    @Test
    void completeFramesPassOnAtOnceAndOnlyTheUnfinishedTailWaits() {
        Result r = relay(true, TEXT + "data: {\"choi", "ces\":[]}\n\n");
        assertThat(r.emitted()).containsExactly(TEXT.length(), "data: {\"choices\":[]}\n\n".length());
    }

    @Test
    void anUnfinishedTailIsFlushedAtTheEnd() {
        Result r = relay(true, TEXT + "data: {\"trunc");
        assertThat(r.text()).isEqualTo(TEXT + "data: {\"trunc");
    }

    @Test
    void aHugeFrameWithoutEndIsPassedOnInsteadOfHeld() {
        String huge = "data: " + "x".repeat(SseMeter.MAX_PENDING + 10);
        Result r = relay(false, huge);
        assertThat(r.emitted()).containsExactly(huge.length());
    }

    @Test
    void responsesStreamIsRelayedByteForByteAndMeteredFromResponseCompleted() {
        String created = "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"usage\":null}}\n\n";
        String delta = "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"Hi\"}\n\n";
        String completed = "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"usage\":"
                + "{\"input_tokens\":9,\"input_tokens_details\":{\"cached_tokens\":2},\"output_tokens\":4,"
                + "\"output_tokens_details\":{\"reasoning_tokens\":1},\"total_tokens\":13}}}\n\n";
        Result r = relay(true, created + delta, completed);
        assertThat(r.text()).isEqualTo(created + delta + completed);
        assertThat(r.usage()).containsExactly(new Usage(9, 4, 2, 1, true));
    }

    static final class Source implements ReadStream<Buffer> {
        Handler<Buffer> handler;
        Handler<Void> end;

        @Override public ReadStream<Buffer> handler(Handler<Buffer> h) { handler = h; return this; }
        @Override public ReadStream<Buffer> endHandler(Handler<Void> h) { end = h; return this; }
        @Override public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) { return this; }
        @Override public ReadStream<Buffer> pause() { return this; }
        @Override public ReadStream<Buffer> resume() { return this; }
        @Override public ReadStream<Buffer> fetch(long amount) { return this; }
    }
}
