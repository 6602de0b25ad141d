package dev.spillway.chat.history;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** The contract against a real PostgreSQL on 127.0.0.1:5432 (db {@code test}), in a throwaway schema. */
class PostgresHistoryStoreTest extends HistoryStoreContract {
    private static final String BASE = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String SCHEMA = "chat_test_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    private static String user;

    @BeforeAll
    static void createSchema() {
        for (String candidate : new String[] {"postgres", "root"}) {
            try (Connection c = DriverManager.getConnection(BASE + "?connectTimeout=3", candidate, "");
                 Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + SCHEMA);
                user = candidate;
                return;
            } catch (SQLException e) {
                // try the next user
            }
        }
        String reason = "PostgreSQL is not reachable on 127.0.0.1:5432 (db test, user postgres or root)";
        if ("true".equals(System.getenv("CI"))) fail(reason + " and CI=true");
        Assumptions.abort(reason + "; skipping the PostgreSQL history tests");
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        if (user == null) return;
        try (Connection c = DriverManager.getConnection(BASE, user, ""); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + SCHEMA + " CASCADE");
        }
    }

    @Override
    HistoryStore open() {
        return JdbcHistoryStore.open(new HistoryConfig(BASE + "?currentSchema=" + SCHEMA, Optional.of(user),
                Optional.empty()), clock);
    }
}
