package dev.spillway.chat.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;

/**
 * {@link HistoryStore} over plain JDBC on SQLite (default, one file) or PostgreSQL. The SQL is the
 * portable subset both accept (VARCHAR, TEXT, BIGINT epoch millis). Flyway migrates the schema on
 * open from {@code migration/} next to this class, with its own history table
 * ({@code chat_schema_history}), so the chat tables can share a database with the gateway's.
 * Connections come from a small HikariCP pool: one for SQLite (it serializes writes anyway), four
 * for PostgreSQL. Thread-safe; one per server, closed with it.
 */
public final class JdbcHistoryStore implements HistoryStore {
    private final HikariDataSource pool;
    private final Clock clock;

    private JdbcHistoryStore(HikariDataSource pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    /** Opens the store and creates its tables if needed; throws if the database is unreachable. */
    public static JdbcHistoryStore open(HistoryConfig config, Clock clock) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.url());
        hikari.setPoolName("spillway-chat-history");
        hikari.setConnectionTimeout(5_000);
        config.username().ifPresent(hikari::setUsername);
        config.password().ifPresent(s -> hikari.setPassword(s.value()));
        if (config.url().startsWith("jdbc:sqlite:")) {
            createParentDirectory(config.url().substring("jdbc:sqlite:".length()).split("\\?")[0]);
            hikari.setMaximumPoolSize(1);
            hikari.addDataSourceProperty("journal_mode", "WAL");
            hikari.addDataSourceProperty("busy_timeout", "5000");
        } else {
            hikari.setMaximumPoolSize(4);
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot open chat history at " + redact(config.url()) + ": " + e.getMessage(), e);
        }
        try {
            migrate(pool, config.url());
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new JdbcHistoryStore(pool, clock);
    }

    @Override
    public Conversation create(String userId, String title) {
        String id = UUID.randomUUID().toString();
        Instant now = clock.instant();
        String shortTitle = title.length() > 200 ? title.substring(0, 197) + "..." : title;
        update("INSERT INTO chat_conversation (id, user_id, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                id, userId, shortTitle, now.toEpochMilli(), now.toEpochMilli());
        return new Conversation(id, shortTitle, now, now);
    }

    @Override
    public List<Conversation> list(String userId, int limit) {
        return query("SELECT id, title, created_at, updated_at FROM chat_conversation WHERE user_id = ?"
                + " ORDER BY updated_at DESC, id LIMIT " + Math.max(1, limit), JdbcHistoryStore::conversation, userId);
    }

    @Override
    public Optional<Conversation> find(String userId, String conversationId) {
        return query("SELECT id, title, created_at, updated_at FROM chat_conversation WHERE user_id = ? AND id = ?",
                JdbcHistoryStore::conversation, userId, conversationId).stream().findFirst();
    }

    @Override
    public List<StoredMessage> messages(String userId, String conversationId) {
        return query("SELECT m.role, m.content, m.details, m.created_at, m.seq, m.feedback FROM chat_message m"
                + " JOIN chat_conversation c ON c.id = m.conversation_id"
                + " WHERE c.user_id = ? AND c.id = ? ORDER BY m.seq", JdbcHistoryStore::message, userId, conversationId);
    }

    @Override
    public boolean append(String userId, String conversationId, StoredMessage message) {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            int touched = execute(c, "UPDATE chat_conversation SET updated_at = ? WHERE user_id = ? AND id = ?",
                    clock.instant().toEpochMilli(), userId, conversationId);
            if (touched == 0) {
                c.rollback();
                return false;
            }
            execute(c, "INSERT INTO chat_message (conversation_id, seq, role, content, details, created_at)"
                    + " SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ? FROM chat_message WHERE conversation_id = ?",
                    conversationId, message.role(), message.content(), message.details(),
                    message.createdAt().toEpochMilli(), conversationId);
            c.commit();
            return true;
        } catch (SQLException e) {
            throw new HistoryException("cannot append to conversation", e);
        }
    }

    @Override
    public boolean delete(String userId, String conversationId) {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            int deleted = execute(c, "DELETE FROM chat_conversation WHERE user_id = ? AND id = ?", userId, conversationId);
            if (deleted > 0) execute(c, "DELETE FROM chat_message WHERE conversation_id = ?", conversationId);
            c.commit();
            return deleted > 0;
        } catch (SQLException e) {
            throw new HistoryException("cannot delete conversation", e);
        }
    }

    @Override
    public boolean rate(String userId, String conversationId, int seq, String rating) {
        if (!rating.isEmpty() && !rating.equals("up") && !rating.equals("down")) {
            throw new IllegalArgumentException("rating must be up, down or empty, was '" + rating + "'");
        }
        try (Connection c = connect()) {
            return execute(c, "UPDATE chat_message SET feedback = ?, feedback_at = ? WHERE conversation_id = ? AND seq = ?"
                    + " AND role = 'assistant' AND conversation_id IN (SELECT id FROM chat_conversation WHERE user_id = ?)",
                    rating.isEmpty() ? null : rating, rating.isEmpty() ? null : clock.instant().toEpochMilli(),
                    conversationId, seq, userId) > 0;
        } catch (SQLException e) {
            throw new HistoryException("cannot rate the answer", e);
        }
    }

    @Override
    public List<RatedAnswer> ratedAnswers(Optional<String> userId, int limit) {
        String sql = "SELECT c.user_id, m.conversation_id, m.seq, COALESCE(q.content, ''), m.content, m.details,"
                + " m.feedback, m.feedback_at FROM chat_message m JOIN chat_conversation c ON c.id = m.conversation_id"
                + " LEFT JOIN chat_message q ON q.conversation_id = m.conversation_id AND q.seq = m.seq - 1"
                + " WHERE m.feedback IS NOT NULL" + (userId.isPresent() ? " AND c.user_id = ?" : "")
                + " ORDER BY m.feedback_at, m.conversation_id, m.seq LIMIT " + Math.max(1, limit);
        return query(sql, rs -> new RatedAnswer(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), Instant.ofEpochMilli(rs.getLong(8))),
                userId.stream().toArray());
    }

    @Override
    public void close() {
        pool.close();
    }

    private static void migrate(DataSource pool, String url) {
        try {
            Flyway.configure(JdbcHistoryStore.class.getClassLoader())
                    .dataSource(pool)
                    .table("chat_schema_history")
                    .locations("classpath:dev/spillway/chat/history/migration")
                    // A database shared with the gateway is not empty: start our own history at 0.
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new IllegalStateException("cannot open chat history at " + redact(url) + ": " + e.getMessage(), e);
        }
    }

    private Connection connect() throws SQLException {
        return pool.getConnection();
    }

    private void update(String sql, Object... args) {
        try (Connection c = connect()) {
            execute(c, sql, args);
        } catch (SQLException e) {
            throw new HistoryException("cannot write chat history", e);
        }
    }

    private static int execute(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(mapper.map(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new HistoryException("cannot read chat history", e);
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
    }

    private static Conversation conversation(ResultSet rs) throws SQLException {
        return new Conversation(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                Instant.ofEpochMilli(rs.getLong(4)));
    }

    private static StoredMessage message(ResultSet rs) throws SQLException {
        String rating = rs.getString(6);
        return new StoredMessage(rs.getString(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)),
                rs.getInt(5), rating == null ? "" : rating);
    }

    private static String redact(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    private static void createParentDirectory(String file) {
        if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) return;
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create directory for chat history: " + parent, e);
        }
    }

    /** The history database failed; the message says which operation. */
    public static final class HistoryException extends RuntimeException {
        HistoryException(String message, SQLException cause) {
            super(message + ": " + cause.getMessage(), cause);
        }
    }
}
