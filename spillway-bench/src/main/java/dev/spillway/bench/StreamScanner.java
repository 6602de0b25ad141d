package dev.spillway.bench;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads an SSE chat-completion stream incrementally, chunk by chunk as it arrives, and notes when
 * generated content arrives, the usage frame and the {@code [DONE]} terminator. It never aggregates
 * the stream. Content frames are those whose delta carries non-empty {@code content} or
 * {@code tool_calls}; Azure's prompt-filter frame, the role frame and the finish frame are not content.
 * One per response; not thread-safe.
 */
final class StreamScanner {
    private byte[] partial = new byte[512];
    private int partialLength;
    private long firstContentNanos = -1;
    private long lastContentNanos = -1;
    private long contentFrames;
    private Optional<Usage> usage = Optional.empty();
    private boolean done;
    private boolean errored;

    /** Feeds the next received bytes, seen at {@code nanos}. */
    void feed(byte[] bytes, long nanos) {
        int lineStart = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                append(bytes, lineStart, i - lineStart);
                line(nanos);
                partialLength = 0;
                lineStart = i + 1;
            }
        }
        append(bytes, lineStart, bytes.length - lineStart);
    }

    private void append(byte[] bytes, int from, int length) {
        if (partialLength + length > partial.length) {
            byte[] bigger = new byte[Math.max(partial.length * 2, partialLength + length)];
            System.arraycopy(partial, 0, bigger, 0, partialLength);
            partial = bigger;
        }
        System.arraycopy(bytes, from, partial, partialLength, length);
        partialLength += length;
    }

    private void line(long nanos) {
        int end = partialLength;
        if (end > 0 && partial[end - 1] == '\r') {
            end--;
        }
        String line = new String(partial, 0, end, StandardCharsets.UTF_8);
        if (line.startsWith("event:") && line.substring(6).trim().equals("error")) {
            errored = true;
        } else if (line.startsWith("data:")) {
            data(line.substring(5).trim(), nanos);
        }
    }

    private void data(String payload, long nanos) {
        if (payload.equals("[DONE]")) {
            done = true;
            return;
        }
        if (payload.startsWith("{\"error\"")) {
            errored = true;
            return;
        }
        if (isContent(payload)) {
            if (firstContentNanos < 0) {
                firstContentNanos = nanos;
            }
            lastContentNanos = nanos;
            contentFrames++;
        }
        if (usage.isEmpty()) {
            usage = Usage.find(payload);
        }
    }

    private static boolean isContent(String payload) {
        int c = payload.indexOf("\"content\":\"");
        if (c >= 0 && c + 11 < payload.length() && payload.charAt(c + 11) != '"') {
            return true;
        }
        return payload.contains("\"tool_calls\":[");
    }

    /** When the first content frame arrived, if one did. */
    Optional<Long> firstContentNanos() {
        return firstContentNanos < 0 ? Optional.empty() : Optional.of(firstContentNanos);
    }

    /** Mean gap between consecutive content frames, if at least two arrived. */
    Optional<Long> meanGapNanos() {
        return contentFrames < 2 ? Optional.empty()
                : Optional.of((lastContentNanos - firstContentNanos) / (contentFrames - 1));
    }

    long contentFrames() {
        return contentFrames;
    }

    Optional<Usage> usage() {
        return usage;
    }

    /** True when the stream ended with {@code [DONE]} and carried no error event. */
    boolean completedCleanly() {
        return done && !errored;
    }
}
