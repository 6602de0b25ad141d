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

    /** Calls each listener in turn (for example logging and tracing). */
    static FlowListener all(FlowListener... listeners) {
        java.util.List<FlowListener> list = java.util.List.of(listeners);
        return new FlowListener() {
            @Override
            public void stepStarted(String step) {
                list.forEach(l -> l.stepStarted(step));
            }

            @Override
            public void stepFinished(StepRecord record) {
                list.forEach(l -> l.stepFinished(record));
            }

            @Override
            public void stepFailed(String step, RuntimeException error) {
                list.forEach(l -> l.stepFailed(step, error));
            }
        };
    }
}
