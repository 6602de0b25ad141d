package dev.spillway.store.jdbc.ledger;

import dev.spillway.gateway.budget.BudgetAlert;
import dev.spillway.gateway.budget.BudgetAlertLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code budget_alerts} table on SQLite or PostgreSQL (same SQL). A warning is raised by an
 * insert that does nothing on a duplicate key; a due row is leased by an update conditional on the
 * next-attempt time the caller read, so of two replicas reading the same row only one wins it.
 * Blocking; thread-safe.
 */
final class JdbcBudgetAlertLog implements BudgetAlertLog {
    private static final String COLUMNS = "app, period, threshold_percent, webhook, spent_micro_usd,"
            + " budget_micro_usd, raised_at_ms, attempts";
    private final DataSource dataSource;

    JdbcBudgetAlertLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public boolean raise(BudgetAlert a) throws SQLException {
        String sql = "INSERT INTO budget_alerts (" + COLUMNS + ", state, next_attempt_at_ms)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, 0, 'pending', ?)"
                + " ON CONFLICT (app, period, threshold_percent, webhook) DO NOTHING";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            key(ps, a);
            ps.setLong(5, a.spentMicroUsd());
            ps.setLong(6, a.budgetMicroUsd());
            ps.setLong(7, a.raisedAt().toEpochMilli());
            ps.setLong(8, a.raisedAt().toEpochMilli());
            return ps.executeUpdate() == 1;
        }
    }

    @Override
    public List<BudgetAlert> takeDue(Instant now, Instant leaseUntil, int max) throws SQLException {
        String select = "SELECT " + COLUMNS + ", next_attempt_at_ms FROM budget_alerts"
                + " WHERE state = 'pending' AND next_attempt_at_ms <= ? ORDER BY next_attempt_at_ms LIMIT ?";
        String lease = "UPDATE budget_alerts SET next_attempt_at_ms = ? WHERE app = ? AND period = ?"
                + " AND threshold_percent = ? AND webhook = ? AND state = 'pending' AND next_attempt_at_ms = ?";
        List<BudgetAlert> taken = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(select);
             PreparedStatement up = c.prepareStatement(lease)) {
            ps.setLong(1, now.toEpochMilli());
            ps.setInt(2, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    BudgetAlert a = alert(rs);
                    up.setLong(1, leaseUntil.toEpochMilli());
                    up.setString(2, a.app());
                    up.setString(3, a.period());
                    up.setInt(4, a.thresholdPercent());
                    up.setString(5, a.webhook());
                    up.setLong(6, rs.getLong(9));
                    if (up.executeUpdate() == 1) taken.add(a);
                }
            }
        }
        return taken;
    }

    @Override
    public void markSent(BudgetAlert a, Instant at) throws SQLException {
        update("state = 'sent', attempts = ?, sent_at_ms = ?, last_error = NULL", a, ps -> {
            ps.setInt(1, a.attempts());
            ps.setLong(2, at.toEpochMilli());
            return 3;
        });
    }

    @Override
    public void markFailed(BudgetAlert a, Optional<Instant> retryAt, String error) throws SQLException {
        String state = retryAt.isPresent() ? "pending" : "failed";
        update("state = '" + state + "', attempts = ?, next_attempt_at_ms = ?, last_error = ?", a, ps -> {
            ps.setInt(1, a.attempts());
            ps.setLong(2, retryAt.map(Instant::toEpochMilli).orElse(Long.MAX_VALUE));
            ps.setString(3, error.length() > 500 ? error.substring(0, 500) : error);
            return 4;
        });
    }

    @Override
    public List<Entry> entries(String period) throws SQLException {
        String sql = "SELECT " + COLUMNS + ", next_attempt_at_ms, state, sent_at_ms, last_error FROM budget_alerts"
                + " WHERE period = ? ORDER BY raised_at_ms, app, threshold_percent, webhook";
        List<Entry> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, period);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long sent = rs.getLong(11);
                    Optional<Instant> sentAt = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(sent));
                    out.add(new Entry(alert(rs), rs.getString(10), sentAt, Optional.ofNullable(rs.getString(12))));
                }
            }
        }
        return out;
    }

    private interface Binder {
        /** Binds the SET parameters; returns the index of the first key parameter. */
        int bind(PreparedStatement ps) throws SQLException;
    }

    private void update(String set, BudgetAlert a, Binder binder) throws SQLException {
        String sql = "UPDATE budget_alerts SET " + set
                + " WHERE app = ? AND period = ? AND threshold_percent = ? AND webhook = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int first = binder.bind(ps);
            ps.setString(first, a.app());
            ps.setString(first + 1, a.period());
            ps.setInt(first + 2, a.thresholdPercent());
            ps.setString(first + 3, a.webhook());
            ps.executeUpdate();
        }
    }

    private static void key(PreparedStatement ps, BudgetAlert a) throws SQLException {
        ps.setString(1, a.app());
        ps.setString(2, a.period());
        ps.setInt(3, a.thresholdPercent());
        ps.setString(4, a.webhook());
    }

    private static BudgetAlert alert(ResultSet rs) throws SQLException {
        return new BudgetAlert(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getLong(5),
                rs.getLong(6), Instant.ofEpochMilli(rs.getLong(7)), rs.getInt(8));
    }
}
