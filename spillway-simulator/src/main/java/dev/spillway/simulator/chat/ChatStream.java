package dev.spillway.simulator.chat;

import dev.spillway.simulator.http.SimExchange;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Writes one answer as Azure's SSE stream (azure-api.md 1.6): prompt-filter frame, role frame,
 * content (or tool-argument) frames, finish frame, the usage frame only when
 * {@code stream_options.include_usage}, then {@code [DONE]}, paced by {@link PacedStream}.
 * One per stream, confined to its event loop.
 */
final class ChatStream extends PacedStream {
    private static final int ARGUMENT_FRAGMENT_CHARS = 8;

    private enum Phase { PROMPT_FILTER, ROLE, BODY, FINISH, USAGE, DONE, END }

    private final ChatWire.Meta meta;
    private final Answer answer;
    private final int promptTokens;
    private final Iterator<String> pieces;
    private Phase phase = Phase.PROMPT_FILTER;

    ChatStream(SimExchange ex, ChatWire.Meta meta, Answer answer, int promptTokens) {
        super(ex);
        this.meta = meta;
        this.answer = answer;
        this.promptTokens = promptTokens;
        this.pieces = answer instanceof Answer.Text text ? text.pieces().get() : fragments((Answer.ToolCall) answer);
    }

    @Override
    protected Step next() {
        return switch (phase) {
            case PROMPT_FILTER -> advance(meta.legacy() ? Phase.BODY : Phase.ROLE, ChatWire.promptFilterFrame());
            case ROLE -> advance(Phase.BODY, ChatWire.roleFrame(meta, answer));
            case BODY -> body();
            case FINISH -> advance(meta.includeUsage() ? Phase.USAGE : Phase.DONE,
                    ChatWire.finishFrame(meta, answer.finishReason()));
            case USAGE -> advance(Phase.DONE, ChatWire.usageFrame(meta, promptTokens, answer.completionTokens()));
            case DONE -> advance(Phase.END, ChatWire.doneFrame());
            case END -> null;
        };
    }

    private Step body() {
        if (!pieces.hasNext()) {
            phase = Phase.FINISH;
            return next();
        }
        String piece = pieces.next();
        Buffer frame = answer instanceof Answer.ToolCall
                ? ChatWire.argumentsFrame(meta, piece) : ChatWire.contentFrame(meta, piece);
        return new Step(frame, true);
    }

    private Step advance(Phase then, Buffer frame) {
        phase = then;
        return new Step(frame, false);
    }

    /** A tool call's arguments in the fragments a model streams them in. */
    static Iterator<String> fragments(Answer.ToolCall call) {
        List<String> out = new ArrayList<>();
        String args = call.arguments();
        for (int i = 0; i < args.length(); i += ARGUMENT_FRAGMENT_CHARS) {
            out.add(args.substring(i, Math.min(args.length(), i + ARGUMENT_FRAGMENT_CHARS)));
        }
        return out.iterator();
    }
}
