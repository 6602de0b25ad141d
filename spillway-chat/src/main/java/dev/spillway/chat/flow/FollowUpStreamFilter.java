package dev.spillway.chat.flow;

import java.util.function.Consumer;

/**
 * Passes streamed answer text through until the first {@code <<} (where follow-up questions
 * begin) and holds back the rest, so markers never flash in the browser; a lone trailing
 * {@code <} is held until the next delta shows whether a marker starts. One per answer, one thread.
 */
final class FollowUpStreamFilter implements Consumer<String> {
    private final Consumer<String> downstream;
    private boolean pendingAngle;
    private boolean closed;

    FollowUpStreamFilter(Consumer<String> downstream) {
        this.downstream = downstream;
    }

    @Override
    public void accept(String delta) {
        if (closed || delta.isEmpty()) return;
        String text = pendingAngle ? "<" + delta : delta;
        pendingAngle = false;
        int marker = text.indexOf("<<");
        if (marker >= 0) {
            closed = true;
            emit(text.substring(0, marker));
            return;
        }
        if (text.endsWith("<")) {
            pendingAngle = true;
            text = text.substring(0, text.length() - 1);
        }
        emit(text);
    }

    /** Releases a held {@code <} once the stream has ended without a marker. */
    void finish() {
        if (pendingAngle && !closed) emit("<");
        pendingAngle = false;
    }

    private void emit(String text) {
        if (!text.isEmpty()) downstream.accept(text);
    }
}
