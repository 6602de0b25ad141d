package dev.spillway.chat.flow;

/** One step of the chat flow, built from its {@link FlowDefinition.StepSpec}. Stateless, thread-safe. */
interface FlowStep {
    String name();

    void run(TurnState state);
}
