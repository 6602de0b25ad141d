package dev.spillway.store.jdbc.ledger;

import dev.spillway.gateway.ledger.RollupStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The console's per-minute rollups ({@code usage_minutes}, {@code backend_minutes}, migration V500)
 * on SQLite or PostgreSQL, same SQL for both: an upsert that adds to the minute's row, so replicas
 * flushing the same minute sum up. Blocking; thread-safe.
 */
final class JdbcRollupStore implements RollupStore {
    private static final String ADD_USAGE = "INSERT INTO usage_minutes (minute_ms, app, key_prefix, deployment,"
            + " backend, requests, prompt_tokens, completion_tokens, cost_nanos, rejected)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (minute_ms, app, key_prefix, deployment, backend)"
            + " DO UPDATE SET requests = usage_minutes.requests + excluded.requests,"
            + " prompt_tokens = usage_minutes.prompt_tokens + excluded.prompt_tokens,"
            + " completion_tokens = usage_minutes.completion_tokens + excluded.completion_tokens,"
            + " cost_nanos = usage_minutes.cost_nanos + excluded.cost_nanos,"
            + " rejected = usage_minutes.rejected + excluded.rejected";
    private static final String ADD_BACKEND = "INSERT INTO backend_minutes (minute_ms, backend, sent, throttled,"
            + " utilization_sum, utilization_samples) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (minute_ms, backend)"
            + " DO UPDATE SET sent = backend_minutes.sent + excluded.sent,"
            + " throttled = backend_minutes.throttled + excluded.throttled,"
            + " utilization_sum = backend_minutes.utilization_sum + excluded.utilization_sum,"
            + " utilization_samples = backend_minutes.utilization_samples + excluded.utilization_samples";
    private static final String USAGE_SUMS = "SUM(requests), SUM(prompt_tokens), SUM(completion_tokens),"
            + " SUM(cost_nanos), SUM(rejected)";

    private final DataSource dataSource;

    JdbcRollupStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void add(List<UsageMinute> usage, List<BackendMinute> backends) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement u = c.prepareStatement(ADD_USAGE); PreparedStatement b = c.prepareStatement(ADD_BACKEND)) {
                for (UsageMinute m : usage) {
                    u.setLong(1, m.minuteMs());
                    u.setString(2, m.app());
                    u.setString(3, m.keyPrefix());
                    u.setString(4, m.deployment());
                    u.setString(5, m.backend());
                    u.setLong(6, m.requests());
                    u.setLong(7, m.promptTokens());
                    u.setLong(8, m.completionTokens());
                    u.setLong(9, m.costNanos());
                    u.setLong(10, m.rejected());
                    u.addBatch();
                }
                for (BackendMinute m : backends) {
                    b.setLong(1, m.minuteMs());
                    b.setString(2, m.backend());
                    b.setLong(3, m.sent());
                    b.setLong(4, m.throttled());
                    b.setDouble(5, m.utilizationSum());
                    b.setLong(6, m.utilizationSamples());
                    b.addBatch();
                }
                if (!usage.isEmpty()) u.executeBatch();
                if (!backends.isEmpty()) b.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    @Override
    public List<UsageMinute> usage(Instant from, Instant to, long step) throws SQLException {
        String sql = "SELECT (minute_ms / ?) * ? AS bucket, backend, " + USAGE_SUMS + " FROM usage_minutes"
                + " WHERE minute_ms >= ? AND minute_ms < ? GROUP BY bucket, backend ORDER BY bucket, backend";
        return query(sql, new long[] {step, step, from.toEpochMilli(), to.toEpochMilli()},
                rs -> new UsageMinute(rs.getLong(1), "", "", "", rs.getString(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6), rs.getLong(7)));
    }

    @Override
    public List<BackendMinute> backends(Instant from, Instant to, long step) throws SQLException {
        String sql = "SELECT (minute_ms / ?) * ? AS bucket, backend, SUM(sent), SUM(throttled), SUM(utilization_sum),"
                + " SUM(utilization_samples) FROM backend_minutes WHERE minute_ms >= ? AND minute_ms < ?"
                + " GROUP BY bucket, backend ORDER BY bucket, backend";
        return query(sql, new long[] {step, step, from.toEpochMilli(), to.toEpochMilli()},
                rs -> new BackendMinute(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getDouble(5),
                        rs.getLong(6)));
    }

    @Override
    public List<UsageMinute> byKey(Instant from, Instant to) throws SQLException {
        String sql = "SELECT key_prefix, " + USAGE_SUMS + " FROM usage_minutes WHERE minute_ms >= ? AND minute_ms < ?"
                + " GROUP BY key_prefix ORDER BY key_prefix";
        return query(sql, new long[] {from.toEpochMilli(), to.toEpochMilli()},
                rs -> new UsageMinute(0, "", rs.getString(1), "", "", rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6)));
    }

    @Override
    public int expire(Instant cutoff) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement u = c.prepareStatement("DELETE FROM usage_minutes WHERE minute_ms < ?");
             PreparedStatement b = c.prepareStatement("DELETE FROM backend_minutes WHERE minute_ms < ?")) {
            u.setLong(1, cutoff.toEpochMilli());
            b.setLong(1, cutoff.toEpochMilli());
            return u.executeUpdate() + b.executeUpdate();
        }
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, long[] params, Row<T> row) throws SQLException {
        List<T> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setLong(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(row.read(rs));
            }
        }
        return out;
    }
}
