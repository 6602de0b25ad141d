package dev.spillway.core.wire;

import io.vertx.core.buffer.Buffer;

/**
 * Buffers to read an HTTP body into. An empty {@link Buffer} starts small and doubles as chunks
 * are appended, copying what it holds each time (a 1 KB body passes through four arrays); one
 * sized for the declared {@code Content-Length} holds it in one. Stateless.
 */
public final class BodyBuffers {
    /**
     * The most allocated up front, whatever a peer declares: a body larger than this grows as
     * before, so a client that declares a large body and sends nothing costs no more than this.
     */
    public static final int MAX_PRESIZE = 64 * 1024;

    private BodyBuffers() {
    }

    /** An empty buffer with room for {@code declared} bytes (-1: unknown), up to {@link #MAX_PRESIZE}. */
    public static Buffer sizedFor(long declared) {
        return declared > 0 ? Buffer.buffer((int) Math.min(declared, MAX_PRESIZE)) : Buffer.buffer();
    }

    /** A {@code Content-Length} header's value, or -1 when it is missing or not a number. */
    public static long declaredLength(String header) {
        if (header == null) return -1;
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
