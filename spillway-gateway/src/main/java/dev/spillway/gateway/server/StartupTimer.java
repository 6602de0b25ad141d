package dev.spillway.gateway.server;

import java.time.Duration;
import java.time.Instant;
import java.util.StringJoiner;

/**
 * Times the gateway's start phase by phase for one INFO line ({@code --verbose} prints it;
 * {@code spillway up} also keeps it in its data dir's {@code spillway.log}), so a slow start says
 * where its time went. One per
 * start; the phases run one after another on a worker and the event loop, hence synchronized.
 */
final class StartupTimer {
    private final long started = System.nanoTime();
    private final StringJoiner phases = new StringJoiner(", ");
    private long last = started;

    /** Ends the current phase, naming it. */
    synchronized void phase(String name) {
        long now = System.nanoTime();
        phases.add(name + " " + millis(now - last));
        last = now;
    }

    /** {@link #phase} for use inside an expression; returns this timer. */
    StartupTimer phased(String name) {
        phase(name);
        return this;
    }

    /**
     * "gateway started in T ms (process start to listening P ms): phase ms, ...". The process's
     * start is the launcher's exec, so P includes the JVM's start and the command line's parsing.
     */
    synchronized String summary() {
        String sinceProcess = ProcessHandle.current().info().startInstant()
                .map(t -> " (process start to listening " + Duration.between(t, Instant.now()).toMillis() + " ms)")
                .orElse("");
        return "gateway started in " + millis(last - started) + " ms" + sinceProcess + ": " + phases;
    }

    private static long millis(long nanos) {
        return Math.round(nanos / 1e6);
    }
}
