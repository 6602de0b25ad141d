package dev.spillway.simulator.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.simulator.http.SimExchange;
import io.vertx.core.buffer.Buffer;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * Writes one answer as the Responses API's typed event stream, in the spec's order:
 * {@code response.created}, {@code response.in_progress}, {@code response.output_item.added}, then
 * for text {@code response.content_part.added}, {@code response.output_text.delta}...,
 * {@code response.output_text.done}, {@code response.content_part.done}, or for a tool call
 * {@code response.function_call_arguments.delta}..., {@code response.function_call_arguments.done};
 * then {@code response.output_item.done} and {@code response.completed} (or
 * {@code response.incomplete}) carrying the whole response and its usage. Each event has a
 * {@code sequence_number} from 0. One per stream, confined to its event loop.
 */
final class ResponsesStream extends PacedStream {
    private enum Phase { CREATED, IN_PROGRESS, ITEM_ADDED, PART_ADDED, DELTAS, DELTAS_DONE, PART_DONE, ITEM_DONE, FINAL, END }

    private final ResponsesWire.Meta meta;
    private final Answer answer;
    private final boolean toolCall;
    private final Iterator<String> pieces;
    private final StringBuilder text = new StringBuilder();
    private Phase phase = Phase.CREATED;
    private int sequence;

    ResponsesStream(SimExchange ex, ResponsesWire.Meta meta, Answer answer) {
        super(ex);
        this.meta = meta;
        this.answer = answer;
        this.toolCall = answer instanceof Answer.ToolCall;
        this.pieces = answer instanceof Answer.Text t ? t.pieces().get() : ChatStream.fragments((Answer.ToolCall) answer);
    }

    @Override
    protected Step next() {
        return switch (phase) {
            case CREATED -> advance(Phase.IN_PROGRESS, "response.created", e -> e.set("response", inProgress()));
            case IN_PROGRESS -> advance(Phase.ITEM_ADDED, "response.in_progress", e -> e.set("response", inProgress()));
            case ITEM_ADDED -> advance(toolCall ? Phase.DELTAS : Phase.PART_ADDED, "response.output_item.added",
                    e -> e.put("output_index", 0).set("item", ResponsesWire.item(meta, answer, "", false)));
            case PART_ADDED -> advance(Phase.DELTAS, "response.content_part.added",
                    e -> inPart(e).set("part", ResponsesWire.textPart("")));
            case DELTAS -> delta();
            case DELTAS_DONE -> toolCall
                    ? advance(Phase.ITEM_DONE, "response.function_call_arguments.done",
                            e -> inItem(e).put("name", ((Answer.ToolCall) answer).name()).put("arguments", text.toString()))
                    : advance(Phase.PART_DONE, "response.output_text.done",
                            e -> inPart(e).put("text", text.toString()).putArray("logprobs"));
            case PART_DONE -> advance(Phase.ITEM_DONE, "response.content_part.done",
                    e -> inPart(e).set("part", ResponsesWire.textPart(text.toString())));
            case ITEM_DONE -> advance(Phase.FINAL, "response.output_item.done",
                    e -> e.put("output_index", 0).set("item", doneItem()));
            case FINAL -> advance(Phase.END, "response." + ResponsesWire.status(answer), e -> e.set("response",
                    ResponsesWire.response(meta, answer, ResponsesWire.status(answer), ResponsesWire.output(doneItem()))));
            case END -> null;
        };
    }

    private Step delta() {
        if (!pieces.hasNext()) {
            phase = Phase.DELTAS_DONE;
            return next();
        }
        String piece = pieces.next();
        text.append(piece);
        Buffer frame = toolCall
                ? event("response.function_call_arguments.delta", e -> inItem(e).put("delta", piece))
                : event("response.output_text.delta", e -> inPart(e).put("delta", piece).putArray("logprobs"));
        return new Step(frame, true);
    }

    private ObjectNode inProgress() {
        return ResponsesWire.response(meta, answer, "in_progress", ResponsesWire.output());
    }

    private ObjectNode doneItem() {
        return ResponsesWire.item(meta, answer, text.toString(), true);
    }

    private ObjectNode inItem(ObjectNode e) {
        return e.put("item_id", meta.itemId(answer)).put("output_index", 0);
    }

    private ObjectNode inPart(ObjectNode e) {
        return inItem(e).put("content_index", 0);
    }

    private Step advance(Phase then, String type, Consumer<ObjectNode> fields) {
        phase = then;
        return new Step(event(type, fields), false);
    }

    private Buffer event(String type, Consumer<ObjectNode> fields) {
        return ResponsesWire.event(type, sequence++, fields);
    }
}
