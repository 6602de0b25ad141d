package dev.spillway.gateway.cache.semantic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The follower threads of a shared {@link SemanticStore} (Redis, PostgreSQL): one daemon thread
 * per listener runs the store's {@link Session} (note the log's place, load every live entry, read
 * the log on) until the store is closed, and starts it over a second after any failure, so a
 * replica reloads everything rather than serve from a copy it knows to be stale. A store reads its
 * log into {@link Change}s and lets them apply themselves. Thread-safe; one per store.
 */
public final class SemanticFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SemanticFollower.class);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Duration JOIN = Duration.ofSeconds(2);

    /** One connection's worth of following: returns when closed, throws on any failure. */
    @FunctionalInterface
    public interface Session {
        void run() throws Exception;
    }

    /**
     * One entry of a shared store's change log: {@code add} (its entry, absent when a later change
     * removed it again), {@code del} (an entry's id) or {@code purge} (an app, maybe one partition).
     */
    public record Change(String position, String op, Optional<SemanticEntry> added, String id, String app,
            Optional<String> partition) {
        /** Tells {@code listener}; an op this version does not know is logged and skipped. */
        public void applyTo(SemanticStore.Listener listener) {
            switch (op) {
                case "add" -> added.ifPresent(listener::added);
                case "del" -> listener.removed(id);
                case "purge" -> listener.purged(app, partition);
                default -> LOG.warn("semantic cache: ignoring an unknown change {} in the shared log", position);
            }
        }
    }

    private final String source;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;

    /** {@code source} names the shared store in the log line of a failure ("Redis", "database"). */
    public SemanticFollower(String source) {
        this.source = source;
    }

    /** Starts a thread that runs {@code session} again and again until {@link #close}. */
    public synchronized void start(Session session) {
        Thread t = Thread.ofPlatform().daemon().name("spillway-semantic-follow").unstarted(() -> loop(session));
        threads.add(t);
        t.start();
    }

    /** Whether the store was closed: a session checks it between reads and returns. */
    public boolean closed() {
        return closed;
    }

    /** Stops every thread, waiting up to two seconds for each to end its current read. */
    @Override
    public synchronized void close() {
        closed = true;
        threads.forEach(Thread::interrupt);
        try {
            for (Thread t : threads) t.join(JOIN);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop(Session session) {
        while (!closed) {
            try {
                session.run();
            } catch (Exception e) {
                if (closed) return;
                LOG.warn("semantic cache: lost the shared {} ({}); reloading in {}s", source, e.toString(),
                        RETRY.toSeconds());
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
