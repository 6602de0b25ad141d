package dev.spillway.simulator.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.simulator.http.OperationHandler;
import dev.spillway.simulator.http.SimExchange;
import java.util.Optional;

/**
 * Answers the Responses API for one chat deployment: the request is read as a chat conversation,
 * admitted, planned and settled exactly as a chat completion (through {@link ChatResponder}), then
 * written as a Response object or as its typed event stream. The simulator stores no responses:
 * {@code previous_response_id} is echoed, not looked up. Thread-safe; one per deployment.
 */
public final class ResponsesResponder implements OperationHandler {
    private final ChatResponder chat;

    public ResponsesResponder(ChatResponder chat) {
        this.chat = chat;
    }

    @Override
    public void handle(SimExchange ex, JsonNode body) {
        ResponsesRequest request = ResponsesRequest.parse(body);
        Optional<ChatResponder.Planned> planned = chat.admitAndPlan(ex, request.chat());
        if (planned.isEmpty()) return;
        Answer answer = planned.get().answer();
        ResponsesWire.Meta meta = new ResponsesWire.Meta("resp_" + Ids.alphanumeric(ex.ids(), 40), ex.created(),
                ex.deployment().model(), Ids.alphanumeric(ex.ids(), 40), request.body(),
                planned.get().promptTokens());
        if (request.chat().stream()) {
            new ResponsesStream(ex, meta, answer).start();
        } else {
            ex.after(ex.latency().total(answer.completionTokens()),
                    () -> ChatResponder.sendWhole(ex, ResponsesWire.whole(meta, answer)));
        }
    }
}
