package dev.spillway.chat.flow;

/**
 * Hook called around every flow step, for logs and (later) tracing spans. Called on the thread
 * running the turn; implementations must be thread-safe across turns and must not throw.
 */
public interface FlowListener {
    default void stepStarted(String step) {
    }

    void stepFinished(StepRecord record);

    default void stepFailed(String step, RuntimeException error) {
    }

    FlowListener NONE = record -> { };
}
