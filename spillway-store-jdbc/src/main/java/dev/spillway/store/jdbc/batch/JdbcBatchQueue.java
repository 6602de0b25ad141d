package dev.spillway.store.jdbc.batch;

import dev.spillway.gateway.batch.BatchQueue;
import dev.spillway.gateway.batch.EndedLine;
import dev.spillway.gateway.batch.Lease;
import dev.spillway.gateway.batch.LineCounts;
import dev.spillway.gateway.batch.LineState;
import dev.spillway.gateway.batch.QueueStats;
import dev.spillway.gateway.batch.QueuedLine;
import dev.spillway.store.jdbc.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The batch queue as a table ({@code batch_lines}) on SQLite or PostgreSQL.
 *
 * <p>Implementation notes: a claim is one {@code UPDATE ... WHERE (batch_id, line_no) IN (SELECT
 * ... LIMIT n) RETURNING}: on PostgreSQL the inner select takes {@code FOR UPDATE SKIP LOCKED}, so
 * replicas claiming at once pass over each other's rows instead of waiting or taking them twice;
 * SQLite runs one writer at a time, so the statement is atomic as it is. A lease is a random token
 * and an end time; {@code finish} and {@code release} match on the token, so a worker whose lease
 * expired and was claimed again writes nothing, and each line keeps exactly one output.
 * Thread-safe; every method is one statement or one transaction.
 */
public final class JdbcBatchQueue implements BatchQueue {
    private static final String CLAIMABLE = " expires_at_ms > ? AND ((state = 'QUEUED' AND due_at_ms <= ?)"
            + " OR (state = 'LEASED' AND lease_until_ms <= ?))";
    private static final String INSERT = "INSERT INTO batch_lines (batch_id, line_no, app, deployment, custom_id,"
            + " body, state, lease_token, lease_until_ms, due_at_ms, attempts, enqueued_at_ms, expires_at_ms,"
            + " ended_at_ms, output) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 0, ?, 0, ?, ?, ?, ?)"
            + " ON CONFLICT (batch_id, line_no) DO NOTHING";

    private final DataSource dataSource;
    private final boolean skipLocked;

    public JdbcBatchQueue(Database database) {
        this.dataSource = database.dataSource();
        this.skipLocked = database.dialect() == Database.Dialect.POSTGRESQL;
    }

    @Override
    public void enqueue(List<QueuedLine> lines) throws SQLException {
        if (lines.isEmpty()) return;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (QueuedLine l : lines) {
                    bindLine(ps, l);
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static void bindLine(PreparedStatement ps, QueuedLine l) throws SQLException {
        ps.setString(1, l.batchId());
        ps.setInt(2, l.lineNo());
        ps.setString(3, l.app());
        ps.setString(4, l.deployment());
        ps.setString(5, l.customId());
        ps.setString(6, l.body());
        ps.setString(7, (l.failedOutput().isPresent() ? LineState.FAILED : LineState.QUEUED).name());
        ps.setLong(8, l.enqueuedAt().toEpochMilli());
        ps.setLong(9, l.enqueuedAt().toEpochMilli());
        ps.setLong(10, l.expiresAt().toEpochMilli());
        if (l.failedOutput().isPresent()) ps.setLong(11, l.enqueuedAt().toEpochMilli());
        else ps.setNull(11, java.sql.Types.BIGINT);
        ps.setString(12, l.failedOutput().orElse(null));
    }

    @Override
    public List<String> readyApps(Set<String> deployments, Instant now) throws SQLException {
        if (deployments.isEmpty()) return List.of();
        String sql = "SELECT app, MIN(enqueued_at_ms) AS oldest FROM batch_lines WHERE deployment IN ("
                + marks(deployments.size()) + ") AND" + CLAIMABLE + " GROUP BY app ORDER BY oldest, app";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = bindAll(ps, 1, deployments);
            bindClaimable(ps, i, now);
            List<String> apps = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) apps.add(rs.getString(1));
            }
            return apps;
        }
    }

    @Override
    public List<Lease> claim(String app, Set<String> deployments, int max, Instant now, Duration lease)
            throws SQLException {
        if (deployments.isEmpty() || max < 1) return List.of();
        String token = UUID.randomUUID().toString();
        Instant until = now.plus(lease);
        String sql = "UPDATE batch_lines SET state = 'LEASED', lease_token = ?, lease_until_ms = ?,"
                + " attempts = attempts + 1 WHERE (batch_id, line_no) IN (SELECT batch_id, line_no FROM batch_lines"
                + " WHERE app = ? AND deployment IN (" + marks(deployments.size()) + ") AND" + CLAIMABLE
                + " ORDER BY enqueued_at_ms, batch_id, line_no LIMIT ?" + (skipLocked ? " FOR UPDATE SKIP LOCKED" : "")
                + ") RETURNING batch_id, line_no, app, deployment, custom_id, body, attempts";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, token);
            ps.setLong(2, until.toEpochMilli());
            ps.setString(3, app);
            int i = bindClaimable(ps, bindAll(ps, 4, deployments), now);
            ps.setInt(i, max);
            List<Lease> leases = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    leases.add(new Lease(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), token, until, rs.getInt(7)));
                }
            }
            leases.sort((a, b) -> a.batchId().equals(b.batchId()) ? Integer.compare(a.lineNo(), b.lineNo())
                    : a.batchId().compareTo(b.batchId()));
            return leases;
        }
    }

    @Override
    public boolean finish(Lease lease, LineState state, String output, Instant now) throws SQLException {
        if (state != LineState.SUCCEEDED && state != LineState.FAILED) {
            throw new IllegalArgumentException("a leased line ends succeeded or failed, not " + state);
        }
        return update("UPDATE batch_lines SET state = ?, output = ?, ended_at_ms = ?, lease_token = NULL"
                + " WHERE batch_id = ? AND line_no = ? AND state = 'LEASED' AND lease_token = ?",
                state.name(), output, now.toEpochMilli(), lease.batchId(), lease.lineNo(), lease.token()) == 1;
    }

    @Override
    public boolean release(Lease lease, Instant dueAt) throws SQLException {
        return update("UPDATE batch_lines SET state = 'QUEUED', due_at_ms = ?, lease_token = NULL"
                + " WHERE batch_id = ? AND line_no = ? AND state = 'LEASED' AND lease_token = ?",
                dueAt.toEpochMilli(), lease.batchId(), lease.lineNo(), lease.token()) == 1;
    }

    @Override
    public int endWaiting(String batchId, LineState state, Instant now) throws SQLException {
        if (state != LineState.CANCELLED && state != LineState.EXPIRED) {
            throw new IllegalArgumentException("waiting lines end cancelled or expired, not " + state);
        }
        return update("UPDATE batch_lines SET state = ?, ended_at_ms = ?, lease_token = NULL WHERE batch_id = ?"
                + " AND (state = 'QUEUED' OR (state = 'LEASED' AND lease_until_ms <= ?))",
                state.name(), now.toEpochMilli(), batchId, now.toEpochMilli());
    }

    @Override
    public LineCounts counts(String batchId) throws SQLException {
        Map<LineState, Long> n = new EnumMap<>(LineState.class);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT state, COUNT(*) FROM batch_lines WHERE batch_id = ? GROUP BY state")) {
            ps.setString(1, batchId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) n.put(LineState.valueOf(rs.getString(1)), rs.getLong(2));
            }
        }
        return new LineCounts(n.getOrDefault(LineState.QUEUED, 0L), n.getOrDefault(LineState.LEASED, 0L),
                n.getOrDefault(LineState.SUCCEEDED, 0L), n.getOrDefault(LineState.FAILED, 0L),
                n.getOrDefault(LineState.CANCELLED, 0L), n.getOrDefault(LineState.EXPIRED, 0L));
    }

    @Override
    public List<EndedLine> ended(String batchId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT line_no, custom_id, state, output FROM batch_lines WHERE batch_id = ?"
                        + " AND state NOT IN ('QUEUED', 'LEASED') ORDER BY line_no")) {
            ps.setString(1, batchId);
            List<EndedLine> lines = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.add(new EndedLine(rs.getInt(1), rs.getString(2), LineState.valueOf(rs.getString(3)),
                            Optional.ofNullable(rs.getString(4))));
                }
            }
            return lines;
        }
    }

    @Override
    public QueueStats stats() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*), MIN(enqueued_at_ms) FROM batch_lines WHERE state IN ('QUEUED', 'LEASED')");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            long depth = rs.getLong(1);
            long oldest = rs.getLong(2);
            return new QueueStats(depth, rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(oldest)));
        }
    }

    private int update(String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            return ps.executeUpdate();
        }
    }

    private static int bindClaimable(PreparedStatement ps, int from, Instant now) throws SQLException {
        for (int i = 0; i < 3; i++) ps.setLong(from + i, now.toEpochMilli());
        return from + 3;
    }

    private static int bindAll(PreparedStatement ps, int from, Set<String> values) throws SQLException {
        int i = from;
        for (String v : values.stream().sorted().toList()) ps.setString(i++, v);
        return i;
    }

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    @Override
    public void close() {
        // the database is closed by whoever opened it (JdbcBatchStorageProvider)
    }
}
