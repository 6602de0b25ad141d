package dev.spillway.gateway.batch;

/** A batch's lines by state: waiting ({@code queued}), in flight ({@code leased}) and ended. Immutable. */
public record LineCounts(long queued, long leased, long succeeded, long failed, long cancelled, long expired) {
    public long total() {
        return queued + leased + succeeded + failed + cancelled + expired;
    }

    /** Lines not ended yet. */
    public long open() {
        return queued + leased;
    }

    /** What OpenAI counts as {@code failed}: every ended line without an answer. */
    public long unanswered() {
        return failed + cancelled + expired;
    }
}
