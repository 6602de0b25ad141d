package dev.spillway.core.wire;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * Collects what a Jackson generator flushes into an array of exactly that size. A generator writes
 * to its own recycled buffer and flushes it once, on close, for anything shorter than that buffer
 * (8 KB), so a record line costs one array, instead of a growing stream's buffers and the copy
 * {@code toByteArray} makes. Longer output is appended flush by flush. One per line; not
 * thread-safe.
 */
public final class LineBytes extends OutputStream {
    private byte[] bytes = new byte[0];

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        int had = bytes.length;
        bytes = Arrays.copyOf(bytes, had + len);
        System.arraycopy(b, off, bytes, had, len);
    }

    /** Everything written so far (the array itself, not a copy). */
    public byte[] bytes() {
        return bytes;
    }
}
