package dev.spillway.store.jdbc.batch;

import dev.spillway.gateway.batch.BatchJson;
import dev.spillway.gateway.batch.BatchRecord;
import dev.spillway.gateway.batch.BatchStatus;
import dev.spillway.gateway.batch.BatchStore;
import dev.spillway.gateway.batch.StoredFile;
import dev.spillway.store.jdbc.Database;
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
 * Files and batches as two tables on SQLite or PostgreSQL (same SQL for both). A batch is a JSON
 * document beside the columns it is found by (app, status, creation time); {@link #transition} is
 * one {@code UPDATE ... WHERE status = ?}. Uploaded content is a blob in the same row. Thread-safe.
 */
public final class JdbcBatchStore implements BatchStore {
    private static final String FILE_COLUMNS = "id, app, purpose, filename, bytes, created_at_ms, batch_id";
    private final DataSource dataSource;
    private final Runnable onClose;

    /** A store that owns {@code database} and closes it with itself. */
    public JdbcBatchStore(Database database) {
        this.dataSource = database.dataSource();
        this.onClose = database::close;
    }

    @Override
    public void insertFile(StoredFile f, byte[] content) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO batch_files (" + FILE_COLUMNS + ", content) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (id) DO NOTHING")) {
            ps.setString(1, f.id());
            ps.setString(2, f.app());
            ps.setString(3, f.purpose());
            ps.setString(4, f.filename());
            ps.setLong(5, f.bytes());
            ps.setLong(6, f.createdAt().toEpochMilli());
            ps.setString(7, f.batchId().orElse(null));
            ps.setBytes(8, content);
            ps.executeUpdate();
        }
    }

    @Override
    public Optional<StoredFile> file(String id) throws SQLException {
        List<StoredFile> found = files("SELECT " + FILE_COLUMNS + " FROM batch_files WHERE id = ?", id);
        return found.stream().findFirst();
    }

    @Override
    public Optional<byte[]> content(String id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT content FROM batch_files WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getBytes(1)) : Optional.empty();
            }
        }
    }

    @Override
    public List<StoredFile> files(String app, Optional<String> purpose, int limit, Optional<String> after)
            throws SQLException {
        String sql = "SELECT " + FILE_COLUMNS + " FROM batch_files WHERE app = ?"
                + (purpose.isPresent() ? " AND purpose = ?" : "")
                + (after.isPresent() ? " AND (created_at_ms, id) < (SELECT created_at_ms, id FROM batch_files WHERE id = ?)" : "")
                + " ORDER BY created_at_ms DESC, id DESC LIMIT ?";
        List<Object> args = new ArrayList<>(List.of(app));
        purpose.ifPresent(args::add);
        after.ifPresent(args::add);
        args.add(limit);
        return files(sql, args.toArray());
    }

    private List<StoredFile> files(String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            List<StoredFile> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredFile(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5), Instant.ofEpochMilli(rs.getLong(6)), Optional.ofNullable(rs.getString(7))));
                }
            }
            return out;
        }
    }

    @Override
    public void insertBatch(BatchRecord b) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO batches (id, app, status, created_at_ms, doc) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, b.id());
            ps.setString(2, b.owner().app());
            ps.setString(3, b.status().name());
            ps.setLong(4, b.createdAt().toEpochMilli());
            ps.setString(5, BatchJson.stored(b));
            ps.executeUpdate();
        }
    }

    @Override
    public Optional<BatchRecord> batch(String id) throws SQLException {
        return batches("SELECT doc FROM batches WHERE id = ?", id).stream().findFirst();
    }

    @Override
    public List<BatchRecord> batches(String app, int limit, Optional<String> after) throws SQLException {
        String sql = "SELECT doc FROM batches WHERE app = ?"
                + (after.isPresent() ? " AND (created_at_ms, id) < (SELECT created_at_ms, id FROM batches WHERE id = ?)" : "")
                + " ORDER BY created_at_ms DESC, id DESC LIMIT ?";
        return after.isPresent() ? batches(sql, app, after.get(), limit) : batches(sql, app, limit);
    }

    @Override
    public List<BatchRecord> recent(int limit) throws SQLException {
        return batches("SELECT doc FROM batches ORDER BY created_at_ms DESC, id DESC LIMIT ?", limit);
    }

    @Override
    public List<BatchRecord> unfinished() throws SQLException {
        return batches("SELECT doc FROM batches WHERE status IN ('VALIDATING', 'IN_PROGRESS', 'FINALIZING',"
                + " 'CANCELLING') ORDER BY created_at_ms, id");
    }

    private List<BatchRecord> batches(String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            List<BatchRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(BatchJson.fromStored(rs.getString(1)));
            }
            return out;
        }
    }

    @Override
    public boolean transition(BatchStatus from, BatchRecord next) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE batches SET status = ?, doc = ? WHERE id = ? AND status = ?")) {
            ps.setString(1, next.status().name());
            ps.setString(2, BatchJson.stored(next));
            ps.setString(3, next.id());
            ps.setString(4, from.name());
            return ps.executeUpdate() == 1;
        }
    }

    @Override
    public void close() {
        onClose.run();
    }
}
