package dev.spillway.gateway.batch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Port: the durable queue of batch lines. A line is enqueued once, claimed under a lease by one
 * worker at a time, and finished once with its output; a lease that expires (its worker crashed)
 * makes the line claimable again, and a finish under a lost lease writes nothing, so each line has
 * exactly one output whoever ran it. Blocking: call from worker threads only. Implementations are
 * thread-safe and shared by every gateway replica on the same store.
 */
public interface BatchQueue extends AutoCloseable {
    /** Adds lines; a line already there (same batch and line number) is left as it is. */
    void enqueue(List<QueuedLine> lines) throws Exception;

    /** Apps with a line of one of {@code deployments} claimable at {@code now}, longest waiting first. */
    List<String> readyApps(Set<String> deployments, Instant now) throws Exception;

    /**
     * Leases up to {@code max} claimable lines of {@code app} for {@code deployments}, oldest first,
     * until {@code now + lease}. Claimable: queued and due, or leased with an expired lease, and
     * its batch not past its expiry. Replicas claiming at once never get the same line.
     */
    List<Lease> claim(String app, Set<String> deployments, int max, Instant now, Duration lease) throws Exception;

    /**
     * Ends a leased line as {@code state} (succeeded or failed) with its output line; false, writing
     * nothing, when the lease was lost (the line was claimed again after it expired, or ended).
     */
    boolean finish(Lease lease, LineState state, String output, Instant now) throws Exception;

    /** Puts a leased line back, claimable from {@code dueAt} (it was throttled); false when the lease was lost. */
    boolean release(Lease lease, Instant dueAt) throws Exception;

    /**
     * Ends the batch's queued lines, and its leased lines whose lease expired, as {@code state}
     * (cancelled or expired); lines in flight under a live lease finish normally. Returns how many ended.
     */
    int endWaiting(String batchId, LineState state, Instant now) throws Exception;

    /** The batch's lines by state. */
    LineCounts counts(String batchId) throws Exception;

    /** The batch's ended lines in line order. */
    List<EndedLine> ended(String batchId) throws Exception;

    /** Lines waiting or in flight over all batches, and when the oldest of them was enqueued. */
    QueueStats stats() throws Exception;

    @Override
    void close();
}
