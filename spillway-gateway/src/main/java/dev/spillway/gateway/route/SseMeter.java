package dev.spillway.gateway.route;

import dev.spillway.core.wire.BufferBytes;
import dev.spillway.gateway.pipeline.GeneratedText;
import dev.spillway.gateway.pipeline.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Relays an SSE stream chunk by chunk and meters it on the way: each complete frame's
 * {@code data:} JSON is read once ({@link StreamEvent}) for the usage (the chat usage chunk, or the
 * Responses API's {@code response.completed}) and for the generated text, which goes to the
 * exchange's {@link GeneratedText} (the count of a stream cut short). When the client did not ask
 * for usage, the usage chunk and the {@code ,"usage":null} mark the request for it added to every
 * chunk are removed, so the client sees what it would have seen directly. One per stream;
 * event-loop confined.
 *
 * <p>Implementation notes. This is the whole per-frame work of a relayed stream, so it reads each
 * chunk where it lies and copies nothing in the usual case: complete frames pass on at once as the
 * chunk itself (or a slice of it); only an unfinished trailing frame is copied and held until its
 * end arrives, bounded by {@link #MAX_PENDING}. Cutting a mark or the usage chunk out moves the
 * rest of the chunk down in place: a chunk is the HTTP client's own heap copy of what it read
 * (Vert.x copies each read out of its pooled buffers) and this meter is its first reader, so no
 * one else sees the bytes it rewrites, and it only moves bytes to the left of where it reads.
 */
final class SseMeter extends RelayStream {
    /** An unfinished frame longer than this is passed on unexamined rather than held. */
    static final int MAX_PENDING = 256 * 1024;
    /** Every chunk carries this once usage was requested (OpenAI's stream_options contract). */
    private static final byte[] USAGE_NULL = ",\"usage\":null".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);

    private final boolean keepUsageFrame;
    private final Consumer<Usage> usageSink;
    private final StreamEvent event;
    private Buffer pending;

    SseMeter(ReadStream<Buffer> source, boolean keepUsageFrame, Consumer<Usage> usageSink) {
        this(source, keepUsageFrame, usageSink, GeneratedText.NONE);
    }

    /** With {@code text} getting the text the stream generates, as it passes. */
    SseMeter(ReadStream<Buffer> source, boolean keepUsageFrame, Consumer<Usage> usageSink, GeneratedText text) {
        super(source);
        this.keepUsageFrame = keepUsageFrame;
        this.usageSink = usageSink;
        this.event = new StreamEvent(text);
    }

    @Override
    protected void onChunk(Buffer chunk) {
        Buffer data = pending == null ? chunk : pending.appendBuffer(chunk);
        pending = null;
        BufferBytes bytes = BufferBytes.of(data);
        byte[] a = bytes.array();
        int base = bytes.offset();
        int limit = base + bytes.length();
        int kept = 0;
        int at = base;
        for (int end = SseFrames.nextEnd(a, at, limit); end > 0; end = SseFrames.nextEnd(a, at, limit)) {
            kept = frame(data, a, base, at, end, kept);
            at = end;
        }
        if (at == base) {
            if (bytes.length() > MAX_PENDING) emit(data);
            else pending = data == chunk ? chunk.copy() : data;
            return;
        }
        if (at < limit) pending = data.getBuffer(at - base, limit - base);
        emit(kept == bytes.length() ? data : data.slice(0, kept));
    }

    /**
     * Reads the frame {@code a[from, to)} and moves what the client gets of it to {@code kept}
     * (the length of {@code data} relayed so far); returns the new length.
     */
    private int frame(Buffer data, byte[] a, int base, int from, int to, int kept) {
        int json = json(a, from, to);
        if (json < 0) return move(data, a, base, from, to, kept);
        try {
            // To the frame's end: the read stops at the object's close, so no scan for the line's end.
            event.read(a, json, to - json);
        } catch (IOException e) {
            return move(data, a, base, from, to, kept); // not JSON (an error text, a provider quirk)
        }
        if (event.usage() != null) usageSink.accept(Usage.reported(event.usage()));
        if (keepUsageFrame) return move(data, a, base, from, to, kept);
        if (event.usageChunk()) return kept;
        int mark = event.usageNull() ? lastIndexOf(a, USAGE_NULL, from, to) : -1;
        if (mark < 0) return move(data, a, base, from, to, kept);
        return move(data, a, base, mark + USAGE_NULL.length, to, move(data, a, base, from, mark, kept));
    }

    /** Copies {@code a[from, to)} to {@code kept} in {@code data} unless it is there already. */
    private static int move(Buffer data, byte[] a, int base, int from, int to, int kept) {
        if (from - base != kept) data.setBytes(kept, a, from, to - from);
        return kept + to - from;
    }

    /** Where the JSON of the frame's {@code data:} line starts, or -1 ({@code [DONE]}, comments, no data). */
    private static int json(byte[] a, int from, int to) {
        for (int line = from; line < to; line = lineEnd(a, line, to) + 1) {
            if (to - line > DATA.length && Arrays.equals(a, line, line + DATA.length, DATA, 0, DATA.length)) {
                int at = line + DATA.length;
                while (at < to && a[at] == ' ') at++;
                return at < to && a[at] == '{' ? at : -1;
            }
        }
        return -1;
    }

    private static int lineEnd(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) if (a[i] == '\n') return i;
        return to;
    }

    @Override
    protected void onEnd() {
        if (pending != null) {
            emit(pending);
            pending = null;
        }
        end();
    }

    private void emit(Buffer data) {
        if (data.length() > 0 && hasReader()) relay(data);
    }

    /** The last index of {@code needle} in {@code data[from, to)}, or -1: the mark ends a chunk's object. */
    static int lastIndexOf(byte[] data, byte[] needle, int from, int to) {
        outer:
        for (int i = to - needle.length; i >= from; i--) {
            for (int j = 0; j < needle.length; j++) if (data[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
