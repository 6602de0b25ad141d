package dev.spillway.gateway.ledger;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * (Same as the store-jdbc test helper; test classes do not cross modules.) A throw-away schema in the real PostgreSQL on 127.0.0.1:5432 (database {@code test}, trust auth).
 * Skips the test loudly when the server is unreachable, except under {@code CI=true}, where it fails.
 */
final class PostgresTestSchema implements AutoCloseable {
    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
    private final String user;
    private final String schema;

    private PostgresTestSchema(String user, String schema) {
        this.user = user;
        this.schema = schema;
    }

    static PostgresTestSchema create() {
        SQLException last = null;
        for (String user : new String[] {"postgres", "root"}) {
            String schema = "spillway_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Connection c = DriverManager.getConnection(SERVER + "?user=" + user + "&connectTimeout=3");
                 Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
                return new PostgresTestSchema(user, schema);
            } catch (SQLException e) {
                last = e;
            }
        }
        String reason = "PostgreSQL on 127.0.0.1:5432 (db test, user postgres/root) is unreachable: " + last;
        if ("true".equals(System.getenv("CI"))) throw new AssertionError(reason, last);
        System.err.println("SKIPPING: " + reason);
        assumeTrue(false, reason);
        throw new AssertionError("unreachable");
    }

    /** A URL for this schema, optionally through another host:port (a fault-injecting proxy). */
    public String url(String hostPort) {
        return "jdbc:postgresql://" + hostPort + "/test?user=" + user + "&currentSchema=" + schema
                + "&connectTimeout=2&socketTimeout=5";
    }

    public String url() {
        return url("127.0.0.1:5432");
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER + "?user=" + user);
             Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }
}
