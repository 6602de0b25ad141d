package dev.spillway.gateway.safety;

/**
 * One check that fired: its family, the rule within it ({@code email}, {@code jwt}, the injection
 * family such as {@code override}), what was done, and whether it was found in the prompt or the
 * answer. Never carries the matched text. {@code indirect} marks an injection found in a tool
 * result or retrieved document rather than in what the user wrote. Immutable value.
 */
public record Finding(Check check, String rule, Action action, Side side, boolean indirect) {
    /** Where the finding was made. */
    public enum Side { INPUT, OUTPUT }

    public Finding {
        java.util.Objects.requireNonNull(check, "check");
        java.util.Objects.requireNonNull(rule, "rule");
        java.util.Objects.requireNonNull(action, "action");
        java.util.Objects.requireNonNull(side, "side");
    }

    public Finding(Check check, String rule, Action action, Side side) {
        this(check, rule, action, side, false);
    }
}
