package dev.spillway.store.jdbc.keys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.access.keys.AppKey;
import dev.spillway.gateway.access.keys.KeyJson;
import dev.spillway.gateway.access.keys.KeyStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * The {@link KeyStore} on SQLite or PostgreSQL (table {@code app_keys}, migration V100). Every
 * statement is parameterised; only hashes are stored. Blocking; thread-safe through the pool.
 */
public final class JdbcKeyStore implements KeyStore {
    private static final String COLUMNS = "id, secret_hash, display_prefix, name, app, team, owner, deployments, "
            + "limits, created_at, expires_at, revoked_at";

    private final DataSource db;

    public JdbcKeyStore(DataSource db) {
        this.db = db;
    }

    @Override
    public void insert(AppKey k) {
        update("INSERT INTO app_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ps -> {
            ps.setString(1, k.id());
            ps.setString(2, k.secretHash());
            ps.setString(3, k.displayPrefix());
            ps.setString(4, k.name());
            ps.setString(5, k.app());
            ps.setString(6, k.team().orElse(null));
            ps.setString(7, k.owner().orElse(null));
            ps.setString(8, json(new TreeSet<>(k.deployments())));
            ps.setString(9, KeyJson.limits(k.limits()).toString());
            ps.setLong(10, k.createdAt().toEpochMilli());
            time(ps, 11, k.expiresAt());
            time(ps, 12, k.revokedAt());
        });
    }

    @Override
    public Optional<AppKey> findByHash(String secretHash) {
        List<AppKey> found = query("SELECT " + COLUMNS + " FROM app_keys WHERE secret_hash = ?", secretHash);
        return found.stream().findFirst();
    }

    @Override
    public Optional<AppKey> findById(String id) {
        return query("SELECT " + COLUMNS + " FROM app_keys WHERE id = ?", id).stream().findFirst();
    }

    @Override
    public List<AppKey> list() {
        return query("SELECT " + COLUMNS + " FROM app_keys ORDER BY created_at DESC, id");
    }

    @Override
    public void update(AppKey k) {
        update("UPDATE app_keys SET expires_at = ?, revoked_at = ? WHERE id = ?", ps -> {
            time(ps, 1, k.expiresAt());
            time(ps, 2, k.revokedAt());
            ps.setString(3, k.id());
        });
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private void update(String sql, Binder binder) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("key store: " + e.getMessage(), e);
        }
    }

    private List<AppKey> query(String sql, String... params) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setString(i + 1, params[i]);
            List<AppKey> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(row(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("key store: " + e.getMessage(), e);
        }
    }

    private static AppKey row(ResultSet rs) throws SQLException {
        return new AppKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                Optional.ofNullable(rs.getString(6)), Optional.ofNullable(rs.getString(7)),
                deployments(rs.getString(8)), KeyJson.limits(parse(rs.getString(9))),
                Instant.ofEpochMilli(rs.getLong(10)), time(rs, 11), time(rs, 12));
    }

    private static void time(PreparedStatement ps, int index, Optional<Instant> t) throws SQLException {
        if (t.isPresent()) ps.setLong(index, t.get().toEpochMilli());
        else ps.setNull(index, Types.BIGINT);
    }

    private static Optional<Instant> time(ResultSet rs, int index) throws SQLException {
        long v = rs.getLong(index);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
    }

    private static Set<String> deployments(String text) {
        try {
            return Json.MAPPER.readValue(text, new TypeReference<Set<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("key store: bad deployments column: " + e.getOriginalMessage());
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode parse(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("key store: bad limits column: " + e.getOriginalMessage());
        }
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
