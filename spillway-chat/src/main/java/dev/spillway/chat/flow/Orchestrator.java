package dev.spillway.chat.flow;

import dev.spillway.retrieval.Retriever;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs the chat flow declared in a {@link FlowDefinition} for one question: rewrite, retrieve,
 * answer (streamed to {@code onDelta}), follow-ups. Each step's timing, inputs and outputs become a
 * {@link StepRecord} for the thought-process panel and go to the {@link FlowListener}. Blocking:
 * run it on a virtual thread. Thread-safe; one per server.
 */
public final class Orchestrator {
    private final List<FlowStep> steps;
    private final Clock clock;
    private final FlowListener listener;

    public Orchestrator(FlowDefinition flow, ChatModel model, Retriever retriever, int historyTokenBudget,
                        Clock clock, FlowListener listener) {
        this.clock = clock;
        this.listener = listener;
        int followUpCount = flow.step("follow-ups").map(FlowDefinition.StepSpec::count).orElse(0);
        List<FlowStep> built = new ArrayList<>();
        for (FlowDefinition.StepSpec spec : flow.steps()) {
            built.add(switch (spec.name()) {
                case "rewrite" -> new RewriteStep(spec, model, historyTokenBudget);
                case "retrieve" -> new RetrieveStep(retriever);
                case "answer" -> new AnswerStep(spec, model, historyTokenBudget, followUpCount);
                case "follow-ups" -> new FollowUpStep(spec.count());
                default -> throw new IllegalArgumentException("unknown step " + spec.name());
            });
        }
        this.steps = List.copyOf(built);
    }

    /** Answers one turn; throws {@link ChatModel.ModelException} if the answer cannot be produced. */
    public TurnResult run(ChatTurn turn, Consumer<String> onDelta) {
        TurnState state = new TurnState(turn, onDelta);
        List<StepRecord> records = new ArrayList<>();
        for (FlowStep step : steps) records.add(runStep(step, state));
        return new TurnResult(state.answer, state.query, state.hits, state.citations, state.followUps, records,
                state.usage);
    }

    private StepRecord runStep(FlowStep step, TurnState state) {
        state.inputs.clear();
        state.outputs.clear();
        listener.stepStarted(step.name());
        Instant start = clock.instant();
        try {
            step.run(state);
        } catch (RuntimeException e) {
            listener.stepFailed(step.name(), e);
            throw e;
        }
        StepRecord record = new StepRecord(step.name(), Duration.between(start, clock.instant()), state.inputs,
                state.outputs);
        listener.stepFinished(record);
        return record;
    }
}
