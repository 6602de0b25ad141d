package dev.spillway.gateway.route;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.pipeline.Usage;
import io.vertx.core.Handler;
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
 * directly. One per stream; event-loop confined.
 */
final class SseMeter implements ReadStream<Buffer> {
    /** An unfinished frame longer than this is passed on unexamined rather than held. */
    static final int MAX_PENDING = 256 * 1024;
    private static final byte[] USAGE_OBJECT = "\"usage\":{".getBytes(StandardCharsets.US_ASCII);
    /** Every frame carries this once usage was requested (OpenAI's stream_options contract). */
    private static final byte[] USAGE_NULL = ",\"usage\":null".getBytes(StandardCharsets.US_ASCII);

    private final ReadStream<Buffer> source;
    private final boolean keepUsageFrame;
    private final Consumer<Usage> usageSink;
    private Buffer pending;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;

    SseMeter(ReadStream<Buffer> source, boolean keepUsageFrame, Consumer<Usage> usageSink) {
        this.source = source;
        this.keepUsageFrame = keepUsageFrame;
        this.usageSink = usageSink;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> h) {
        this.handler = h;
        source.handler(h == null ? null : this::onChunk);
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> h) {
        this.endHandler = h;
        source.endHandler(h == null ? null : v -> onEnd());
        return this;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
        source.exceptionHandler(h);
        return this;
    }

    @Override public ReadStream<Buffer> pause() { source.pause(); return this; }
    @Override public ReadStream<Buffer> resume() { source.resume(); return this; }
    @Override public ReadStream<Buffer> fetch(long amount) { source.fetch(amount); return this; }

    private void onChunk(Buffer chunk) {
        Buffer data = pending == null ? chunk : pending.appendBuffer(chunk);
        pending = null;
        int end = lastFrameEnd(data);
        if (end < 0) {
            if (data.length() > MAX_PENDING) emit(data);
            else pending = data.copy();
            return;
        }
        if (end < data.length()) pending = data.getBuffer(end, data.length());
        Buffer complete = end == data.length() ? data : data.slice(0, end);
        if (indexOf(complete, USAGE_OBJECT, 0) >= 0) complete = withoutUsageFrame(complete);
        emit(keepUsageFrame ? complete : without(complete, USAGE_NULL));
    }

    private void onEnd() {
        if (pending != null) {
            emit(pending);
            pending = null;
        }
        if (endHandler != null) endHandler.handle(null);
    }

    private void emit(Buffer data) {
        if (data.length() > 0 && handler != null) handler.handle(data);
    }

    /** Reads the usage from the frames in {@code data}, dropping the usage-only frame if asked to. */
    private Buffer withoutUsageFrame(Buffer data) {
        Buffer out = Buffer.buffer(data.length());
        int start = 0;
        while (start < data.length()) {
            int end = indexOf(data, "\n\n".getBytes(StandardCharsets.US_ASCII), start);
            end = end < 0 ? data.length() : end + 2;
            Buffer frame = data.slice(start, end);
            if (!(indexOf(frame, USAGE_OBJECT, 0) >= 0 && isUsageOnly(frame)) || keepUsageFrame) out.appendBuffer(frame);
            start = end;
        }
        return out;
    }

    private boolean isUsageOnly(Buffer frame) {
        String text = frame.toString(StandardCharsets.UTF_8).trim();
        if (!text.startsWith("data:")) return false;
        try {
            JsonNode chunk = Json.MAPPER.readTree(text.substring(5).trim());
            JsonNode usage = chunk.path("usage");
            if (!usage.isObject()) return false;
            usageSink.accept(MeterPolicy.toUsage(usage));
            return chunk.path("choices").isArray() && chunk.path("choices").isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code data} with every occurrence of {@code marker} cut out; {@code data} itself when there is none. */
    static Buffer without(Buffer data, byte[] marker) {
        int at = indexOf(data, marker, 0);
        if (at < 0) return data;
        Buffer out = Buffer.buffer(data.length());
        int from = 0;
        while (at >= 0) {
            out.appendBuffer(data, from, at - from);
            from = at + marker.length;
            at = indexOf(data, marker, from);
        }
        return out.appendBuffer(data, from, data.length() - from);
    }

    /** The index just past the last {@code \n\n} in {@code data}, or -1. */
    private static int lastFrameEnd(Buffer data) {
        for (int i = data.length() - 2; i >= 0; i--) {
            if (data.getByte(i) == '\n' && data.getByte(i + 1) == '\n') return i + 2;
        }
        return -1;
    }

    static int indexOf(Buffer data, byte[] needle, int from) {
        outer:
        for (int i = from; i <= data.length() - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (data.getByte(i + j) != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
