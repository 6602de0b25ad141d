package dev.spillway.gateway.route;

/**
 * Where server-sent events end in a byte run: a frame ends at an empty line, {@code \n\n} or,
 * with CRLF line ends, {@code \r\n\r\n} (the SSE spec allows both, html.spec.whatwg.org 9.2.5).
 * Shared by the stream meter and the safety guard, so both split a stream the same way. Stateless.
 */
public final class SseFrames {
    private SseFrames() {
    }

    /** The index just past the last frame end in {@code data}, or -1. */
    public static int lastEnd(byte[] data) {
        for (int i = data.length - 1; i > 0; i--) {
            if (endsFrame(data, 0, i)) return i + 1;
        }
        return -1;
    }

    /** The index just past the first frame end in {@code data[from, to)}, or -1. */
    public static int nextEnd(byte[] data, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            if (endsFrame(data, from, i)) return i + 1;
        }
        return -1;
    }

    /** Whether the {@code \n} at {@code i} ends an empty line, looking no further back than {@code from}. */
    private static boolean endsFrame(byte[] data, int from, int i) {
        if (data[i] != '\n') return false;
        if (data[i - 1] == '\n') return true;
        return data[i - 1] == '\r' && i - 2 >= from && data[i - 2] == '\n';
    }
}
