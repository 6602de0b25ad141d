package dev.spillway.store.jdbc.batch;

import dev.spillway.core.wire.Json;
import dev.spillway.gateway.batch.BatchJson;
import dev.spillway.gateway.batch.QueuedRequest;
import dev.spillway.gateway.batch.RequestMailbox;
import dev.spillway.store.jdbc.Database;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The embedded message queue as two tables on SQLite or PostgreSQL: {@code queue_requests}, in
 * publishing order ({@code seq}), and {@code queue_replies}, each answer under its app and reply queue.
 *
 * <p>Implementation notes: taking is one {@code UPDATE ... WHERE seq IN (SELECT ... LIMIT n)
 * RETURNING} that leases the rows for {@code lease} under a random token (on PostgreSQL the inner
 * select takes {@code FOR UPDATE SKIP LOCKED}, so replicas taking at once pass over each other's
 * rows; SQLite runs one writer at a time). A request is free while its lease has run out, so one
 * whose gateway died is taken again after {@code lease}. Answering deletes the request under its
 * token and inserts the answer in the same transaction; putting back deletes it and inserts it
 * again (a new {@code seq}, behind the waiting ones). Both match the token, so a gateway whose lease
 * ran out and was taken over writes nothing: each request gets one answer. Thread-safe; every
 * method is one statement or one transaction.
 */
public final class JdbcRequestQueue implements RequestMailbox {
    private static final String COLUMNS = "id, deployment, endpoint, body, app, owner, reply_to, correlation_id,"
            + " attempts, lease_token, lease_until_ms, enqueued_at_ms";
    private static final String INSERT = "INSERT INTO queue_requests (" + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 0, ?)";

    private final DataSource dataSource;
    private final boolean skipLocked;
    private final Clock clock;
    private final Duration lease;

    /** A taken request's place in the table: its row and the lease token it is held under. */
    private record Held(long seq, String id, String app, String owner, String token, long enqueuedAtMs) {
    }

    public JdbcRequestQueue(Database database, Clock clock, Duration lease) {
        this.dataSource = database.dataSource();
        this.skipLocked = database.dialect() == Database.Dialect.POSTGRESQL;
        this.clock = clock;
        this.lease = lease;
    }

    @Override
    public String publish(Published r) throws SQLException {
        String id = "qreq_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            bind(ps, id, r.deployment(), r.endpoint(), QueuedRequest.withModel(r.body(), r.deployment()),
                    r.owner().app(), BatchJson.owner(r.owner()).toString(), r.replyTo(), r.correlationId(), 0,
                    clock.millis());
            ps.executeUpdate();
        }
        return id;
    }

    private static void bind(PreparedStatement ps, String id, String deployment, String endpoint, String body,
            String app, String owner, Optional<String> replyTo, Optional<String> correlationId, int attempts,
            long enqueuedAtMs) throws SQLException {
        ps.setString(1, id);
        ps.setString(2, deployment);
        ps.setString(3, endpoint);
        ps.setString(4, body);
        ps.setString(5, app);
        ps.setString(6, owner);
        ps.setString(7, replyTo.orElse(null));
        ps.setString(8, correlationId.orElse(null));
        ps.setInt(9, attempts);
        ps.setLong(10, enqueuedAtMs);
    }

    @Override
    public List<QueuedRequest> take(String deployment, int max) throws SQLException {
        if (max < 1) return List.of();
        long now = clock.millis();
        String token = UUID.randomUUID().toString();
        String sql = "UPDATE queue_requests SET lease_token = ?, lease_until_ms = ? WHERE seq IN (SELECT seq FROM"
                + " queue_requests WHERE deployment = ? AND lease_until_ms <= ? ORDER BY seq LIMIT ?"
                + (skipLocked ? " FOR UPDATE SKIP LOCKED" : "") + ") RETURNING seq, " + COLUMNS;
        List<Taken> taken = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, token);
            ps.setLong(2, now + lease.toMillis());
            ps.setString(3, deployment);
            ps.setLong(4, now);
            ps.setInt(5, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) taken.add(taken(rs, token));
            }
        }
        taken.sort(Comparator.comparingLong(t -> t.held().seq()));
        return taken.stream().map(Taken::request).toList();
    }

    private record Taken(Held held, QueuedRequest request) {
    }

    private static Taken taken(ResultSet rs, String token) throws SQLException {
        Held held = new Held(rs.getLong("seq"), rs.getString("id"), rs.getString("app"), rs.getString("owner"), token,
                rs.getLong("enqueued_at_ms"));
        QueuedRequest request = new QueuedRequest(rs.getString("deployment"), rs.getString("endpoint"),
                rs.getString("body"), Optional.of(BatchJson.owner(json(held.owner()))), Optional.empty(),
                Optional.ofNullable(rs.getString("reply_to")), Optional.ofNullable(rs.getString("correlation_id")),
                rs.getInt("attempts"), held);
        return new Taken(held, request);
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String text) throws SQLException {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new SQLException("queue_requests.owner is not JSON", e);
        }
    }

    /** Deletes the request under its lease and files its answer, in one transaction; a lost lease writes nothing. */
    @Override
    public void answer(QueuedRequest request, QueuedRequest.Answer answer) throws SQLException {
        Held held = (Held) request.handle();
        inTransaction(c -> {
            if (!delete(c, held)) return;
            if (request.replyTo().isEmpty()) return;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO queue_replies (id, app, reply_to, correlation_id,"
                    + " status, request_id, body, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, "qans_" + UUID.randomUUID().toString().replace("-", ""));
                ps.setString(2, held.app());
                ps.setString(3, request.replyTo().get());
                ps.setString(4, request.correlationId().orElse(null));
                ps.setInt(5, answer.status());
                ps.setString(6, answer.requestId());
                ps.setString(7, answer.body());
                ps.setLong(8, clock.millis());
                ps.executeUpdate();
            }
        });
    }

    /** Re-files the request behind the waiting ones, free at once, one attempt more; a lost lease writes nothing. */
    @Override
    public void putBack(QueuedRequest request) throws SQLException {
        Held held = (Held) request.handle();
        inTransaction(c -> {
            if (!delete(c, held)) return;
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                bind(ps, held.id(), request.deployment(), request.endpoint(), request.body(), held.app(), held.owner(),
                        request.replyTo(), request.correlationId(), request.attempts() + 1, held.enqueuedAtMs());
                ps.executeUpdate();
            }
        });
    }

    private static boolean delete(Connection c, Held held) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM queue_requests WHERE seq = ? AND lease_token = ?")) {
            ps.setLong(1, held.seq());
            ps.setString(2, held.token());
            return ps.executeUpdate() == 1;
        }
    }

    @Override
    public List<Reply> replies(String app, String replyTo, int max) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT id,"
                + " correlation_id, status, request_id, body, created_at_ms FROM queue_replies WHERE app = ?"
                + " AND reply_to = ? ORDER BY seq LIMIT ?")) {
            ps.setString(1, app);
            ps.setString(2, replyTo);
            ps.setInt(3, max);
            List<Reply> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Reply(rs.getString(1), Optional.ofNullable(rs.getString(2)), new QueuedRequest.Answer(
                            rs.getInt(3), rs.getString(4), rs.getString(5)), Instant.ofEpochMilli(rs.getLong(6))));
                }
            }
            return out;
        }
    }

    @Override
    public int acknowledge(String app, String replyTo, List<String> ids) throws SQLException {
        if (ids.isEmpty()) return 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("DELETE FROM"
                + " queue_replies WHERE app = ? AND reply_to = ? AND id IN (" + String.join(", ",
                Collections.nCopies(ids.size(), "?")) + ")")) {
            ps.setString(1, app);
            ps.setString(2, replyTo);
            for (int i = 0; i < ids.size(); i++) ps.setString(i + 3, ids.get(i));
            return ps.executeUpdate();
        }
    }

    private interface Work {
        void run(Connection c) throws SQLException;
    }

    private void inTransaction(Work work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    @Override
    public void close() {
        // the database is closed by whoever opened it (JdbcBatchStorageProvider)
    }
}
