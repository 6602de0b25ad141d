package dev.spillway.store.jdbc.semantic;

import dev.spillway.gateway.cache.semantic.SemanticEntry;
import dev.spillway.gateway.cache.semantic.SemanticFollower;
import dev.spillway.gateway.cache.semantic.SemanticStore;
import dev.spillway.store.jdbc.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;

/**
 * The semantic entries shared by every replica, in PostgreSQL (migration V521): one row per entry
 * in {@code semantic_cache_entries} and a change log, {@code semantic_cache_log}, trimmed to about
 * {@value #LOG_LENGTH} changes; the Redis store's contract on a database.
 *
 * <p>Implementation notes. Every write is one transaction that first takes a transaction-scoped
 * advisory lock, so log sequence numbers are handed out in commit order: a follower that has read
 * change n has seen every change before it, which a plain sequence would not promise. A follower
 * is a {@link SemanticFollower} thread holding one connection: it notes the log's last number,
 * loads every live entry, then reads the log from that number on (a change made during the load
 * is applied again; every change is idempotent), waking on a {@code NOTIFY} each write sends at
 * commit or after {@code POLL} at the latest. An added entry is read from the entries table as it
 * is then (a later change replaces or removes it again). On any failure (the database away, the
 * log trimmed past the follower's place) the follower connects and loads everything again.
 * Writes run on one thread of their own, queued up to {@value #QUEUE}; a full queue fails the
 * call. Thread-safe; close it to stop the threads.
 */
public final class PostgresSemanticStore implements SemanticStore {
    static final int LOG_LENGTH = 10_000;
    static final String CHANNEL = "spillway_semantic_cache";
    private static final int BATCH = 512;
    private static final int QUEUE = 1024;
    private static final int POLL_MS = 1000;
    private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.semantic_cache'))";
    private static final String COLUMNS = "e.app, e.partition_id, e.request, e.deployment, e.context, e.model, "
            + "e.vector, e.expires_at";

    private final Database db;
    private final int maxEntries;
    private final Clock clock;
    private final ExecutorService writer;
    private final SemanticFollower follower = new SemanticFollower("database");

    /** Takes {@code db} over: closing the store closes it. */
    public PostgresSemanticStore(Database db, int maxEntries, Clock clock) {
        if (maxEntries < 1) throw new IllegalArgumentException("max-entries: must be >= 1, was " + maxEntries);
        if (db.dialect() != Database.Dialect.POSTGRESQL) {
            throw new IllegalArgumentException("the semantic cache's shared store needs PostgreSQL, not " + db.dialect());
        }
        this.db = db;
        this.maxEntries = maxEntries;
        this.clock = clock;
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                r -> Thread.ofPlatform().daemon().name("spillway-semantic-write").unstarted(r));
    }

    @Override
    public CompletionStage<Void> add(SemanticEntry entry) {
        return write(c -> {
            long seq = log(c, "INSERT INTO semantic_cache_log (op, entry_id) VALUES ('add', ?) RETURNING seq",
                    entry.id());
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO semantic_cache_entries (id, app, partition_id, request, deployment, context, model,
                        vector, expires_at, added) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET app = EXCLUDED.app, partition_id = EXCLUDED.partition_id,
                        request = EXCLUDED.request, deployment = EXCLUDED.deployment, context = EXCLUDED.context,
                        model = EXCLUDED.model, vector = EXCLUDED.vector, expires_at = EXCLUDED.expires_at,
                        added = EXCLUDED.added""")) {
                ps.setString(1, entry.id());
                ps.setString(2, entry.app());
                ps.setString(3, entry.partition());
                ps.setString(4, entry.request());
                ps.setString(5, entry.deployment());
                ps.setString(6, entry.context());
                ps.setString(7, entry.model());
                ps.setBytes(8, entry.vectorBytes());
                ps.setLong(9, entry.expiresAt());
                ps.setLong(10, seq);
                ps.executeUpdate();
            }
            dropExpiredAndOverflow(c);
            if (seq % 256 == 0) trimLog(c, seq);
        });
    }

    @Override
    public CompletionStage<Void> purge(String app, Optional<String> partition) {
        return write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM semantic_cache_entries WHERE app = ? AND (? IS NULL OR partition_id = ?)")) {
                ps.setString(1, app);
                ps.setString(2, partition.orElse(null));
                ps.setString(3, partition.orElse(null));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO semantic_cache_log (op, app, partition_id) VALUES ('purge', ?, ?)")) {
                ps.setString(1, app);
                ps.setString(2, partition.orElse(null));
                ps.executeUpdate();
            }
        });
    }

    @Override
    public void follow(Listener listener) {
        follower.start(() -> loadAndFollow(listener));
    }

    /** Finishes the queued writes (up to 2 s), stops the followers, then closes the database. */
    @Override
    public synchronized void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        follower.close();
        db.close();
    }

    /** One change in a transaction of its own, under the log's lock, announced at commit. */
    private CompletionStage<Void> write(SqlWork work) {
        try {
            return CompletableFuture.runAsync(() -> {
                try (Connection c = db.dataSource().getConnection()) {
                    c.setAutoCommit(false);
                    try (Statement s = c.createStatement()) {
                        s.execute(LOCK);
                        work.run(c);
                        s.execute("NOTIFY " + CHANNEL);
                        c.commit();
                    } catch (SQLException | RuntimeException e) {
                        c.rollback();
                        throw e;
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("semantic cache: the database write failed: " + e.getMessage(), e);
                }
            }, writer);
        } catch (RuntimeException rejected) {
            return CompletableFuture.failedFuture(rejected);
        }
    }

    private interface SqlWork {
        void run(Connection c) throws SQLException;
    }

    /** Expired rows go quietly (replicas expire them by time); rows over the bound are announced. */
    private void dropExpiredAndOverflow(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                DELETE FROM semantic_cache_entries WHERE id IN (
                    SELECT id FROM semantic_cache_entries WHERE expires_at <= ? ORDER BY expires_at LIMIT 100)""")) {
            ps.setLong(1, clock.millis());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                WITH gone AS (DELETE FROM semantic_cache_entries WHERE id IN (
                    SELECT id FROM semantic_cache_entries ORDER BY expires_at DESC, added DESC OFFSET ?) RETURNING id)
                INSERT INTO semantic_cache_log (op, entry_id) SELECT 'del', id FROM gone""")) {
            ps.setInt(1, maxEntries);
            ps.executeUpdate();
        }
    }

    private static void trimLog(Connection c, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM semantic_cache_log WHERE seq <= ?")) {
            ps.setLong(1, seq - LOG_LENGTH);
            ps.executeUpdate();
        }
    }

    private static long log(Connection c, String sql, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** One session of the follower, on a connection of its own that listens for the writes. */
    private void loadAndFollow(Listener listener) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("LISTEN " + CHANNEL);
            }
            followOn(c, listener);
        }
    }

    private void followOn(Connection c, Listener listener) throws SQLException {
        long position = single(c, "SELECT coalesce(max(seq), 0) FROM semantic_cache_log");
        listener.reset(load(c));
        PGConnection notices = c.unwrap(PGConnection.class);
        while (!follower.closed()) {
            List<SemanticFollower.Change> changes = changesAfter(c, position);
            if (changes.isEmpty()) {
                notices.getNotifications(POLL_MS);
                continue;
            }
            if (trimmedPast(c, position)) throw new IllegalStateException("the change log was trimmed past " + position);
            for (SemanticFollower.Change change : changes) {
                change.applyTo(listener);
                position = Long.parseLong(change.position());
            }
        }
    }

    /** Whether the log's oldest change is beyond the follower's place: changes were lost. */
    private static boolean trimmedPast(Connection c, long position) throws SQLException {
        return single(c, "SELECT coalesce(min(seq), 0) FROM semantic_cache_log") > position + 1 && position > 0;
    }

    private List<SemanticEntry> load(Connection c) throws SQLException {
        List<SemanticEntry> entries = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM semantic_cache_entries e WHERE e.expires_at > ?")) {
            ps.setFetchSize(BATCH);
            ps.setLong(1, clock.millis());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) entries.add(entry(rs, 1));
            }
        }
        return entries;
    }

    private List<SemanticFollower.Change> changesAfter(Connection c, long position) throws SQLException {
        List<SemanticFollower.Change> changes = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT l.seq, l.op, l.entry_id, l.app, l.partition_id, "
                + COLUMNS + " FROM semantic_cache_log l LEFT JOIN semantic_cache_entries e"
                + " ON l.op = 'add' AND e.id = l.entry_id WHERE l.seq > ? ORDER BY l.seq LIMIT " + BATCH)) {
            ps.setLong(1, position);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Optional<SemanticEntry> added = rs.getString(6) == null ? Optional.empty()
                            : Optional.of(entry(rs, 6));
                    // an add whose entry is gone again carries none (a later change says why)
                    changes.add(new SemanticFollower.Change(Long.toString(rs.getLong(1)), rs.getString(2), added,
                            rs.getString(3), rs.getString(4), Optional.ofNullable(rs.getString(5))));
                }
            }
        }
        return changes;
    }

    private static SemanticEntry entry(ResultSet rs, int from) throws SQLException {
        return new SemanticEntry(rs.getString(from), rs.getString(from + 1), rs.getString(from + 2),
                rs.getString(from + 3), rs.getString(from + 4), rs.getString(from + 5),
                SemanticEntry.vectorOf(rs.getBytes(from + 6)), rs.getLong(from + 7));
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
