package dev.spillway.gateway.route;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.pipeline.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Relays an SSE stream chunk by chunk while watching for the usage chunk ({@code "choices":[]} with
 * a {@code usage} object). Complete frames pass on at once; only an unfinished trailing frame is
 * held until its end arrives, bounded by {@link #MAX_PENDING}, so memory per stream stays small.
 * When the client did not ask for usage, the usage chunk and the {@code "usage":null} marks the
 * request for it added to every frame are removed, so the client sees what it would have seen
 * directly. A Responses API stream reports its usage in the {@code response.completed} event's
 * {@code response.usage}, which is read and always relayed. One per stream; event-loop confined.
 */
final class SseMeter extends RelayStream {
    /** An unfinished frame longer than this is passed on unexamined rather than held. */
    static final int MAX_PENDING = 256 * 1024;
    private static final byte[] USAGE_OBJECT = "\"usage\":{".getBytes(StandardCharsets.US_ASCII);
    /** Every frame carries this once usage was requested (OpenAI's stream_options contract). */
    private static final byte[] USAGE_NULL = ",\"usage\":null".getBytes(StandardCharsets.US_ASCII);

    private final boolean keepUsageFrame;
    private final Consumer<Usage> usageSink;
    private final Consumer<Buffer> tap;
    private Buffer pending;

    SseMeter(ReadStream<Buffer> source, boolean keepUsageFrame, Consumer<Usage> usageSink) {
        this(source, keepUsageFrame, usageSink, frames -> { });
    }

    /** With {@code tap} seeing every block relayed to the client (see {@link StreamTap}). */
    SseMeter(ReadStream<Buffer> source, boolean keepUsageFrame, Consumer<Usage> usageSink, Consumer<Buffer> tap) {
        super(source);
        this.tap = tap;
        this.keepUsageFrame = keepUsageFrame;
        this.usageSink = usageSink;
    }

    @Override
    protected void onChunk(Buffer chunk) {
        Buffer data = pending == null ? chunk : pending.appendBuffer(chunk);
        pending = null;
        // One copy per chunk, then plain array scans: Buffer.getByte checks bounds and the
        // reference count on every call.
        byte[] bytes = data.getBytes();
        int end = SseFrames.lastEnd(bytes);
        if (end < 0) {
            if (bytes.length > MAX_PENDING) emit(data);
            else pending = data.copy();
            return;
        }
        if (end < bytes.length) pending = data.getBuffer(end, bytes.length);
        if (indexOf(bytes, USAGE_OBJECT, 0, end) >= 0) {
            bytes = withoutUsageFrame(bytes, end);
            end = bytes.length;
        } else if (keepUsageFrame || indexOf(bytes, USAGE_NULL, 0, end) < 0) {
            emit(end == bytes.length ? data : data.slice(0, end));
            return;
        }
        emit(Buffer.buffer(keepUsageFrame ? java.util.Arrays.copyOf(bytes, end) : without(bytes, end, USAGE_NULL)));
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
        if (data.length() == 0 || !hasReader()) return;
        tap.accept(data);
        relay(data);
    }

    /** Reads the usage from the frames in {@code data[0, end)}, dropping the usage-only frame if asked to. */
    private byte[] withoutUsageFrame(byte[] data, int end) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(end);
        int start = 0;
        while (start < end) {
            int next = SseFrames.nextEnd(data, start, end);
            if (next < 0) next = end;
            boolean usageOnly = indexOf(data, USAGE_OBJECT, start, next) >= 0
                    && isUsageOnly(new String(data, start, next - start, StandardCharsets.UTF_8));
            if (!usageOnly || keepUsageFrame) out.write(data, start, next - start);
            start = next;
        }
        return out.toByteArray();
    }

    private boolean isUsageOnly(String frame) {
        String text = frame.trim();
        int data = dataLine(text);
        if (data < 0) return false;
        try {
            JsonNode chunk = Json.MAPPER.readTree(text.substring(data + 5).trim());
            JsonNode usage = chunk.path("usage");
            // response.completed (and .incomplete, .failed) carry it in the response; never dropped.
            if (!usage.isObject() && chunk.path("response").path("usage").isObject()) {
                usageSink.accept(MeterPolicy.toUsage(chunk.path("response").path("usage")));
                return false;
            }
            if (!usage.isObject()) return false;
            usageSink.accept(MeterPolicy.toUsage(usage));
            return chunk.path("choices").isArray() && chunk.path("choices").isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** Where the {@code data:} line starts (Responses API frames begin with {@code event:}), or -1. */
    private static int dataLine(String frame) {
        if (frame.startsWith("data:")) return 0;
        int at = frame.indexOf("\ndata:");
        return at < 0 ? -1 : at + 1;
    }

    /** {@code data[0, end)} with every occurrence of {@code marker} cut out. */
    static byte[] without(byte[] data, int end, byte[] marker) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(end);
        int from = 0;
        for (int at = indexOf(data, marker, 0, end); at >= 0; at = indexOf(data, marker, from, end)) {
            out.write(data, from, at - from);
            from = at + marker.length;
        }
        out.write(data, from, end - from);
        return out.toByteArray();
    }

    static int indexOf(byte[] data, byte[] needle, int from, int to) {
        outer:
        for (int i = from; i <= to - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (data[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
