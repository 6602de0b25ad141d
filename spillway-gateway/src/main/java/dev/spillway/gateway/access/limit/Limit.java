package dev.spillway.gateway.access.limit;

import java.util.Objects;

/**
 * One limit on one subject: "{@code app:chat} may use 1,000 TOKENS per MINUTE". The subject names
 * who is counted ({@code key:<id>}, {@code app:<name>}, {@code team:<name>}, {@code user:<id>}) and
 * doubles as the Redis Cluster hash tag. Immutable.
 */
public record Limit(String subject, Metric metric, Window window, long capacity, FailMode failMode) {
    public Limit {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(failMode, "failMode");
        if (subject.isBlank() || subject.indexOf('}') >= 0 || subject.indexOf('{') >= 0) {
            throw new IllegalArgumentException("subject: must be non-blank without braces, was '" + subject + "'");
        }
        if (capacity < 0) throw new IllegalArgumentException("capacity: must be >= 0, was " + capacity);
    }

    /** The counter's name without its window: {@code {app:chat}:tokens:minute}. */
    public String counterName() {
        return "{" + subject + "}:" + metric.word() + ":" + window.word();
    }

    /** The same limit with another capacity (the local fallback's share). */
    public Limit withCapacity(long newCapacity) {
        return new Limit(subject, metric, window, newCapacity, failMode);
    }
}
