package dev.spillway.store.jdbc.ledger;

import dev.spillway.gateway.audit.AnchoredHead;
import dev.spillway.gateway.audit.HeadAnchors;
import dev.spillway.gateway.budget.BudgetAlert;
import dev.spillway.gateway.budget.BudgetAlertLog;
import dev.spillway.gateway.ledger.Dimension;
import dev.spillway.gateway.ledger.RollupStore;
import dev.spillway.gateway.ledger.SafetyTotals;
import dev.spillway.gateway.ledger.UsageRecord;
import dev.spillway.gateway.ledger.UsageStore;
import dev.spillway.gateway.ledger.UsageTotals;
import dev.spillway.store.jdbc.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The usage ledger table on SQLite or PostgreSQL (same SQL for both). Inserts are idempotent
 * ({@code ON CONFLICT (request_id) DO NOTHING}), one transaction per batch, so a batch replayed
 * after a lost acknowledgement stores nothing twice. Blocking: call it from a worker thread,
 * never an event loop. The same database keeps the audit chain's anchored heads
 * ({@code audit_anchors}), the budget warnings ({@code budget_alerts}, {@link JdbcBudgetAlertLog}) and the
 * console's per-minute rollups ({@link JdbcRollupStore}). Thread-safe.
 */
public final class JdbcUsageStore implements UsageStore, HeadAnchors, BudgetAlertLog, RollupStore {
    private static final String COLUMNS = "request_id, occurred_at_ms, app, team, user_id, key_prefix,"
            + " deployment, backend, region, model, prompt_tokens, completion_tokens, cached_tokens,"
            + " reasoning_tokens, usage_estimated, cost_nanos, ttft_micros, latency_micros, status,"
            + " attempts, streamed, cache_hit, trace_id, priority, batch_discount_nanos, safety, saved_nanos";
    private static final String INSERT = "INSERT INTO usage_ledger (" + COLUMNS + ") VALUES"
            + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (request_id) DO NOTHING";
    private static final String SUMS = "COUNT(*), COALESCE(SUM(prompt_tokens), 0),"
            + " COALESCE(SUM(completion_tokens), 0), COALESCE(SUM(cached_tokens), 0),"
            + " COALESCE(SUM(reasoning_tokens), 0), COALESCE(SUM(cost_nanos), 0),"
            + " COALESCE(SUM(CASE WHEN priority = 'batch' THEN prompt_tokens + completion_tokens ELSE 0 END), 0),"
            + " COALESCE(SUM(batch_discount_nanos), 0),"
            + " COALESCE(SUM(CASE WHEN safety LIKE '%:block%' THEN 1 ELSE 0 END), 0),"
            + " COALESCE(SUM(CASE WHEN safety LIKE '%:redact%' THEN 1 ELSE 0 END), 0),"
            + " COALESCE(SUM(cache_hit), 0), COALESCE(SUM(saved_nanos), 0)";

    private final DataSource dataSource;
    private final Runnable onClose;
    private final JdbcBudgetAlertLog alerts;
    private final JdbcRollupStore rollups;

    public JdbcUsageStore(DataSource dataSource) {
        this(dataSource, () -> { });
    }

    /** A store that owns {@code database} and closes it with itself. */
    public JdbcUsageStore(Database database) {
        this(database.dataSource(), database::close);
    }

    private JdbcUsageStore(DataSource dataSource, Runnable onClose) {
        this.dataSource = dataSource;
        this.onClose = onClose;
        this.alerts = new JdbcBudgetAlertLog(dataSource);
        this.rollups = new JdbcRollupStore(dataSource);
    }

    @Override
    public void close() {
        onClose.run();
    }

    private static String column(Dimension by) {
        return switch (by) {
            case APP -> "app";
            case TEAM -> "team";
            case USER -> "user_id";
            case DEPLOYMENT -> "deployment";
            case MODEL -> "model";
            case PRIORITY -> "priority";
        };
    }

    /** Stores the records not stored yet, in one transaction; returns how many were new. */
    @Override
    public int insert(List<UsageRecord> records) throws SQLException {
        if (records.isEmpty()) return 0;
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (UsageRecord r : records) {
                    bind(ps, r);
                    ps.addBatch();
                }
                int inserted = 0;
                for (int n : ps.executeBatch()) inserted += Math.max(0, n);
                c.commit();
                return inserted;
            } catch (SQLException e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    @Override
    public void anchor(AnchoredHead head) throws SQLException {
        String sql = "INSERT INTO audit_anchors (anchored_at_ms, seq, hash) VALUES (?, ?, ?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, head.at().toEpochMilli());
            ps.setLong(2, head.seq());
            ps.setString(3, head.hash());
            ps.executeUpdate();
        }
    }

    @Override
    public List<AnchoredHead> heads() throws SQLException {
        String sql = "SELECT anchored_at_ms, seq, hash FROM audit_anchors ORDER BY seq, anchored_at_ms";
        List<AnchoredHead> heads = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) heads.add(new AnchoredHead(rs.getLong(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(1))));
        }
        return heads;
    }

    @Override
    public void forgetBefore(Instant cutoff) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM audit_anchors WHERE anchored_at_ms < ?")) {
            ps.setLong(1, cutoff.toEpochMilli());
            ps.executeUpdate();
        }
    }

    @Override
    public boolean raise(BudgetAlert alert) throws SQLException {
        return alerts.raise(alert);
    }

    @Override
    public List<BudgetAlert> takeDue(Instant now, Instant leaseUntil, int max) throws SQLException {
        return alerts.takeDue(now, leaseUntil, max);
    }

    @Override
    public void markSent(BudgetAlert alert, Instant at) throws SQLException {
        alerts.markSent(alert, at);
    }

    @Override
    public void markFailed(BudgetAlert alert, Optional<Instant> retryAt, String error) throws SQLException {
        alerts.markFailed(alert, retryAt, error);
    }

    @Override
    public List<Entry> entries(String period) throws SQLException {
        return alerts.entries(period);
    }

    @Override
    public String describe() {
        return "the ledger database (audit_anchors)";
    }

    @Override
    public Optional<UsageRecord> find(String requestId) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM usage_ledger WHERE request_id = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** Sums per group key and backend for records in {@code [from, to)}. */
    @Override
    public List<UsageTotals> totals(Instant from, Instant to, Dimension by) throws SQLException {
        String col = column(by);
        String sql = "SELECT " + col + ", backend, " + SUMS + " FROM usage_ledger"
                + " WHERE occurred_at_ms >= ? AND occurred_at_ms < ?"
                + " GROUP BY " + col + ", backend ORDER BY " + col + ", backend";
        List<UsageTotals> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, from.toEpochMilli());
            ps.setLong(2, to.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(totals(rs, rs.getString(1), rs.getString(2), 3));
            }
        }
        return out;
    }

    /** Sums over all records in {@code [from, to)}: what any report of that period must add up to. */
    @Override
    public UsageTotals grandTotal(Instant from, Instant to) throws SQLException {
        String sql = "SELECT " + SUMS + " FROM usage_ledger WHERE occurred_at_ms >= ? AND occurred_at_ms < ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, from.toEpochMilli());
            ps.setLong(2, to.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return totals(rs, "total", "", 1);
            }
        }
    }

    /**
     * Requests blocked and redacted per group key and check in {@code [from, to)}: the rows with a
     * safety finding are few, so their words are counted here rather than split in SQL.
     */
    @Override
    public List<SafetyTotals> safetyTotals(Instant from, Instant to, Dimension by) throws SQLException {
        String sql = "SELECT " + column(by) + ", safety FROM usage_ledger"
                + " WHERE occurred_at_ms >= ? AND occurred_at_ms < ? AND safety <> ''";
        SafetyTotals.Counter counter = new SafetyTotals.Counter();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, from.toEpochMilli());
            ps.setLong(2, to.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) counter.add(rs.getString(1), rs.getString(2));
            }
        }
        return counter.totals();
    }

    @Override
    public void add(List<UsageMinute> usage, List<BackendMinute> backends) throws SQLException {
        rollups.add(usage, backends);
    }

    @Override
    public List<UsageMinute> usage(Instant from, Instant to, long stepMillis) throws SQLException {
        return rollups.usage(from, to, stepMillis);
    }

    @Override
    public List<BackendMinute> backends(Instant from, Instant to, long stepMillis) throws SQLException {
        return rollups.backends(from, to, stepMillis);
    }

    @Override
    public List<UsageMinute> byKey(Instant from, Instant to) throws SQLException {
        return rollups.byKey(from, to);
    }

    @Override
    public int expire(Instant cutoff) throws SQLException {
        return rollups.expire(cutoff);
    }

    /** How many of the given request ids are stored (for reconciliation after an outage). */
    public long countStored(String requestIdPrefix) throws SQLException {
        String sql = "SELECT COUNT(*) FROM usage_ledger WHERE request_id LIKE ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, requestIdPrefix.replace("%", "") + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static UsageTotals totals(ResultSet rs, String key, String backend, int i) throws SQLException {
        return new UsageTotals(key, backend, rs.getLong(i), rs.getLong(i + 1), rs.getLong(i + 2),
                rs.getLong(i + 3), rs.getLong(i + 4), rs.getLong(i + 5), rs.getLong(i + 6), rs.getLong(i + 7),
                rs.getLong(i + 8), rs.getLong(i + 9), rs.getLong(i + 10),
                rs.getLong(i + 11));
    }

    private static void bind(PreparedStatement ps, UsageRecord r) throws SQLException {
        ps.setString(1, r.requestId());
        ps.setLong(2, r.occurredAt().toEpochMilli());
        ps.setString(3, r.app());
        ps.setString(4, r.team());
        ps.setString(5, r.user());
        ps.setString(6, r.keyPrefix());
        ps.setString(7, r.deployment());
        ps.setString(8, r.backend());
        ps.setString(9, r.region());
        ps.setString(10, r.model());
        ps.setLong(11, r.promptTokens());
        ps.setLong(12, r.completionTokens());
        ps.setLong(13, r.cachedTokens());
        ps.setLong(14, r.reasoningTokens());
        ps.setInt(15, r.usageEstimated() ? 1 : 0);
        ps.setLong(16, r.costNanos());
        if (r.timeToFirstToken().isPresent()) {
            ps.setLong(17, micros(r.timeToFirstToken().get()));
        } else {
            ps.setNull(17, Types.BIGINT);
        }
        ps.setLong(18, micros(r.latency()));
        ps.setInt(19, r.status());
        ps.setInt(20, r.attempts());
        ps.setInt(21, r.streamed() ? 1 : 0);
        ps.setInt(22, r.cacheHit() ? 1 : 0);
        ps.setString(23, r.traceId());
        ps.setString(24, r.priority());
        ps.setLong(25, r.batchDiscountNanos());
        ps.setString(26, r.safety());
        ps.setLong(27, r.savedNanos());
    }

    private static UsageRecord read(ResultSet rs) throws SQLException {
        long ttft = rs.getLong(17);
        Optional<Duration> ttftOpt = rs.wasNull() ? Optional.empty() : Optional.of(Duration.ofNanos(ttft * 1000));
        return new UsageRecord(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getString(9), rs.getString(10), rs.getLong(11), rs.getLong(12), rs.getLong(13),
                rs.getLong(14), rs.getInt(15) != 0, rs.getLong(16), ttftOpt,
                Duration.ofNanos(rs.getLong(18) * 1000), rs.getInt(19), rs.getInt(20),
                rs.getInt(21) != 0, rs.getInt(22) != 0, rs.getString(23), rs.getString(24), rs.getLong(25),
                rs.getString(26), rs.getLong(27));
    }

    private static long micros(Duration d) {
        return d.toNanos() / 1000;
    }

    private static void rollbackQuietly(Connection c, SQLException cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
