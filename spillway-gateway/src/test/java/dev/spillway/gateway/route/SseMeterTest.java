package dev.spillway.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.gateway.pipeline.GeneratedText;
import dev.spillway.gateway.pipeline.Usage;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.charset.StandardCharsets;
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
        StringBuilder text = new StringBuilder();
        List<Integer> emitted = new ArrayList<>();
        SseMeter meter = new SseMeter(source, clientWantsUsage, usage::add, text::append);
        meter.handler(b -> {
            out.append(b.toString());
            emitted.add(b.length());
        });
        boolean[] ended = new boolean[1];
        meter.endHandler(v -> ended[0] = true);
        for (String c : chunks) source.handler.handle(Buffer.buffer(c.getBytes(charset(c))));
        source.end.handle(null);
        assertThat(ended[0]).isTrue();
        return new Result(out.toString(), usage, emitted, text.toString());
    }

    /** The stream in pieces of {@code size} bytes, cut anywhere (inside multi-byte characters too). */
    static String[] pieces(String stream, int size) {
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += size) {
            out.add(new String(bytes, i, Math.min(size, bytes.length - i), StandardCharsets.ISO_8859_1));
        }
        return out.toArray(String[]::new);
    }

    /** {@code text} is what the meter handed to the exchange's generated text. */
    record Result(String text, List<Usage> usage, List<Integer> emitted, String generated) {
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

    /** Pieces from {@link #pieces} hold raw bytes as Latin-1; everything else is text. */
    private static java.nio.charset.Charset charset(String chunk) {
        return chunk.chars().allMatch(ch -> ch < 0x80) ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
    }

    @Test
    void theGeneratedTextIsHandedOverOnceWhereverTheChunksAreCut() {
        String stream = "data: {\"choices\":[{\"delta\":{\"content\":\"Grüße aus Zürich — 東京から\"}}],\"usage\":null}\n\n"
                + "data: {\"choices\":[{\"delta\":{\"content\":\"🙂\"}}],\"usage\":null}\n\n" + USAGE + DONE;
        for (int size : new int[] {1, 2, 3, 7, 64, 1 << 16}) {
            Result r = relay(false, pieces(stream, size));
            assertThat(r.generated()).as("pieces of %d", size).isEqualTo("Grüße aus Zürich — 東京から🙂");
            assertThat(new String(r.text().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8))
                    .as("pieces of %d", size).doesNotContain("usage").endsWith(DONE);
        }
    }

    @Test
    void toolCallArgumentsAndReasoningAreGeneratedTextAndNonJsonEventsPassUntouched() {
        String error = "event: error\ndata: upstream broke\n\n";
        String tool = "data: {\"choices\":[{\"delta\":{\"reasoning_content\":\"think \",\"tool_calls\":[{\"function\":"
                + "{\"name\":\"weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]}}]}\n\n";
        Result r = relay(false, error + tool);
        assertThat(r.text()).isEqualTo(error + tool);
        assertThat(r.generated()).isEqualTo("think weather{\"city\":\"Paris\"}");
    }

    @Test
    void responsesDeltasAreGeneratedText() {
        String delta = "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\","
                + "\"delta\":\"Hello world\"}\n\n";
        String done = "event: response.output_text.done\ndata: {\"type\":\"response.output_text.done\","
                + "\"text\":\"Hello world\"}\n\n";
        assertThat(relay(true, delta + done).generated()).isEqualTo("Hello world");
    }

    @Test
    void aUsageChunkBetweenOtherFramesOfOneChunkIsCutOutAndTheRestMovedUp() {
        Result r = relay(false, ROLE + USAGE + TEXT + DONE);
        assertThat(r.text()).isEqualTo("data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\n\n"
                + "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n" + DONE);
        assertThat(r.emitted()).containsExactly(r.text().length());
    }

    @Test
    void aStreamWithoutUsageMarksPassesAsTheVeryChunksItCameIn() {
        List<Buffer> in = new ArrayList<>();
        List<Buffer> out = new ArrayList<>();
        Source source = new Source();
        SseMeter meter = new SseMeter(source, false, u -> { }, GeneratedText.NONE);
        meter.handler(out::add);
        for (String c : new String[] {"data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n", DONE}) {
            Buffer b = Buffer.buffer(c);
            in.add(b);
            source.handler.handle(b);
        }
        assertThat(out).hasSize(2);
        for (int i = 0; i < 2; i++) assertThat(out.get(i)).isSameAs(in.get(i));
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
