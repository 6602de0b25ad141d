package dev.spillway.gateway.batch;

import java.util.Locale;

/**
 * A batch's status as OpenAI names it: {@code validating → in_progress → finalizing → completed},
 * or {@code failed}, {@code expired}, {@code cancelling → cancelled}.
 */
public enum BatchStatus {
    VALIDATING, IN_PROGRESS, FINALIZING, COMPLETED, FAILED, EXPIRED, CANCELLING, CANCELLED;

    /** The wire name, {@code in_progress}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BatchStatus ofWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }

    public boolean terminal() {
        return this == COMPLETED || this == FAILED || this == EXPIRED || this == CANCELLED;
    }
}
