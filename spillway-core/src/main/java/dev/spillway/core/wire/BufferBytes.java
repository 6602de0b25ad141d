package dev.spillway.core.wire;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * The bytes of a Vert.x {@link Buffer} as an array range for a parser that reads them: the
 * buffer's own heap array when it has one (bodies are read into heap buffers), so a request or an
 * answer is not copied just to be parsed; a copy otherwise. The range is {@link Buffer#getBytes()}'s,
 * from index 0 to the buffer's length. A view, not a copy: read it only while the buffer is not
 * written to, and never write to it. Immutable.
 */
public record BufferBytes(byte[] array, int offset, int length) {
    public static BufferBytes of(Buffer buffer) {
        if (buffer instanceof BufferInternal internal) {
            ByteBuf b = internal.unwrap();
            if (b.hasArray()) return new BufferBytes(b.array(), b.arrayOffset(), b.writerIndex());
        }
        byte[] copy = buffer.getBytes();
        return new BufferBytes(copy, 0, copy.length);
    }
}
