package dev.spillway.gateway.batch;

import java.time.Instant;
import java.util.Optional;

/** Lines waiting or in flight in the whole queue, and when the oldest of them was enqueued. Immutable. */
public record QueueStats(long depth, Optional<Instant> oldestEnqueuedAt) {
}
