package dev.spillway.simulator.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.wire.ApiVersions;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.FaultKind;
import dev.spillway.simulator.http.OperationHandler;
import dev.spillway.core.wire.Operation;
import dev.spillway.simulator.http.SimExchange;
import dev.spillway.simulator.limits.Admission;
import dev.spillway.simulator.tokens.TokenCounter;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;

/**
 * Answers chat completions and legacy completions for one chat deployment: parses the request,
 * charges the admission estimate, plans the answer and writes it as one body or as an SSE stream.
 * Admission estimate: ceil(prompt characters / 4) + (max_completion_tokens ?? max_tokens ?? 16).
 * Thread-safe; one per deployment, for the simulator's lifetime.
 */
public final class ChatResponder implements OperationHandler {
    static final int DEFAULT_ESTIMATED_COMPLETION = 16;

    private final TokenCounter counter;
    private final boolean o200k;
    private final AnswerPlanner planner;
    private final String fingerprint;

    public ChatResponder(DeploymentConfig deployment) {
        this.counter = TokenCounter.forModel(deployment.model());
        this.o200k = TokenCounter.isO200k(deployment.model());
        this.planner = new AnswerPlanner(deployment, counter);
        this.fingerprint = "fp_" + Long.toHexString(0x10000000000L | (deployment.model().hashCode() & 0xffffffffL))
                .substring(1);
    }

    @Override
    public void handle(SimExchange ex, JsonNode body) {
        boolean legacy = ex.operation() == Operation.COMPLETIONS;
        refuseStreamOptionsBefore2024_09(ex.apiVersion(), body);
        ChatRequest request = legacy ? ChatRequest.completion(body) : ChatRequest.chat(body);
        Optional<Planned> planned = admitAndPlan(ex, request);
        if (planned.isEmpty()) return;
        Answer answer = planned.get().answer();
        int promptTokens = planned.get().promptTokens();
        String id = (legacy ? "cmpl-" : "chatcmpl-") + Ids.alphanumeric(ex.ids(), 29);
        ChatWire.Meta meta = new ChatWire.Meta(id, ex.created(), ex.deployment().model(), fingerprint, legacy,
                request.stream() && request.includeUsage());
        if (request.stream()) {
            new ChatStream(ex, meta, answer, promptTokens).start();
        } else {
            ex.after(ex.latency().total(answer.completionTokens()), () -> sendWhole(ex, ChatWire.body(meta, answer,
                    promptTokens)));
        }
    }

    /**
     * Azure API versions before 2024-09-01-preview do not know {@code stream_options} and refuse it
     * as an unrecognized argument (research/azure-api.md 1.1); a version that is not a date (v1) knows it.
     */
    private static void refuseStreamOptionsBefore2024_09(String apiVersion, JsonNode body) {
        if (body.has("stream_options")
                && ApiVersions.datedBefore(apiVersion, ApiVersions.STREAM_USAGE_AND_MAX_COMPLETION_TOKENS_SINCE)) {
            throw new SpillwayException.InvalidRequest("invalid_request_error",
                    "Unrecognized request argument supplied: stream_options", "stream_options");
        }
    }

    /** The answer to a request that was admitted, with its prompt tokens. */
    record Planned(int promptTokens, Answer answer) {
    }

    /**
     * Charges the admission estimate (empty when the deployment refused: the 429 is written), plans
     * the answer and settles the deployment's quota to the real tokens once the response is done.
     */
    Optional<Planned> admitAndPlan(SimExchange ex, ChatRequest request) {
        long estimate = (request.promptCharacters() + 3) / 4 + request.maxTokens().orElse(DEFAULT_ESTIMATED_COMPLETION);
        Optional<Admission> admission = ex.admit(estimate);
        if (admission.isEmpty()) return Optional.empty();
        int promptTokens = PromptTokens.count(request, counter, o200k);
        Answer answer = planner.plan(request, request.contentSeed(ex.deploymentSeed()), ex.requestedCompletionTokens());
        ex.settleWhenDone(admission.get(), promptTokens + answer.completionTokens());
        return Optional.of(new Planned(promptTokens, answer));
    }

    /** Sends a whole (non-streamed) body, unless a stall or mid-body disconnect fault is pending. */
    static void sendWhole(SimExchange ex, Buffer body) {
        Optional<FaultKind> fault = ex.pendingFault();
        if (fault.equals(Optional.of(FaultKind.STALL))) {
            ex.stall("application/json");
        } else if (fault.equals(Optional.of(FaultKind.DISCONNECT_MID_STREAM))) {
            ex.response().putHeader("content-type", "application/json")
                    .putHeader("content-length", Integer.toString(body.length()))
                    .write(body.slice(0, body.length() / 2));
            ex.disconnect();
        } else {
            ex.send(200, body);
        }
    }
}
