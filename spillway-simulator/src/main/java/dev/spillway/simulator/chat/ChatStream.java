package dev.spillway.simulator.chat;

import dev.spillway.simulator.FaultKind;
import dev.spillway.simulator.http.SimExchange;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Writes one answer as Azure's SSE stream (azure-api.md 1.6): prompt-filter frame, role frame,
 * content (or tool-argument) frames, finish frame, the usage frame only when
 * {@code stream_options.include_usage}, then {@code [DONE]}. Frames are built and written one at a
 * time, paced by the per-token latency and by the socket's write queue, so memory stays bounded.
 * One per stream, confined to its event loop.
 */
final class ChatStream {
    /** The mid-stream disconnect fault cuts after the prompt-filter, role and first two content frames. */
    private static final int FRAMES_BEFORE_DISCONNECT = 4;
    private static final int ARGUMENT_FRAGMENT_CHARS = 8;

    private enum Phase { PROMPT_FILTER, ROLE, BODY, FINISH, USAGE, DONE, END }

    private record Step(Buffer frame, boolean paced) {
    }

    private final SimExchange ex;
    private final ChatWire.Meta meta;
    private final Answer answer;
    private final int promptTokens;
    private final Iterator<String> pieces;
    private final Duration perToken;
    private final boolean cutMidStream;
    private Phase phase = Phase.PROMPT_FILTER;
    private int written;
    private Future<Void> lastWrite = Future.succeededFuture();

    ChatStream(SimExchange ex, ChatWire.Meta meta, Answer answer, int promptTokens) {
        this.ex = ex;
        this.meta = meta;
        this.answer = answer;
        this.promptTokens = promptTokens;
        this.pieces = answer instanceof Answer.Text text ? text.pieces().get() : fragments((Answer.ToolCall) answer);
        this.perToken = ex.latency().perToken();
        this.cutMidStream = ex.pendingFault().equals(Optional.of(FaultKind.DISCONNECT_MID_STREAM));
    }

    void start() {
        ex.after(ex.latency().timeToFirstToken(), this::open);
    }

    private void open() {
        HttpServerResponse r = ex.response();
        r.putHeader("cache-control", "no-cache").putHeader("x-accel-buffering", "no");
        if (ex.pendingFault().equals(Optional.of(FaultKind.STALL))) {
            ex.stall("text/event-stream; charset=utf-8");
            return;
        }
        r.setStatusCode(200).setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8");
        pump();
    }

    private void pump() {
        HttpServerResponse r = ex.response();
        while (!ex.isClosed()) {
            if (r.writeQueueFull()) {
                r.drainHandler(v -> pump());
                return;
            }
            if (cutMidStream && written == FRAMES_BEFORE_DISCONNECT) {
                lastWrite.onComplete(v -> ex.disconnect()); // once the frames are on the wire
                return;
            }
            Step step = next();
            if (step == null) {
                r.end();
                return;
            }
            if (step.paced() && !perToken.isZero()) {
                ex.after(perToken, () -> {
                    write(step.frame());
                    pump();
                });
                return;
            }
            write(step.frame());
        }
    }

    private void write(Buffer frame) {
        lastWrite = ex.response().write(frame);
        written++;
    }

    private Step next() {
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

    private static Iterator<String> fragments(Answer.ToolCall call) {
        List<String> out = new ArrayList<>();
        String args = call.arguments();
        for (int i = 0; i < args.length(); i += ARGUMENT_FRAGMENT_CHARS) {
            out.add(args.substring(i, Math.min(args.length(), i + ARGUMENT_FRAGMENT_CHARS)));
        }
        return out.iterator();
    }
}
