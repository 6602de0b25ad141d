package dev.spillway.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The shared JDBC database (SQLite file by default, PostgreSQL for fleets): a HikariCP pool and the
 * Flyway migrations under {@code db/migration/<dialect>}. SQLite runs in WAL mode with
 * {@code synchronous=FULL}. Migrations may arrive out of order (the ledger owns versions 1-99, the
 * key store 100 and up). Thread-safe; one per process; close it on shutdown.
 */
public final class Database implements AutoCloseable {
    /** Which SQL the adapters speak; read from the JDBC URL. */
    public enum Dialect { SQLITE, POSTGRESQL }

    private final HikariDataSource pool;
    private final Dialect dialect;

    private Database(HikariDataSource pool, Dialect dialect) {
        this.pool = pool;
        this.dialect = dialect;
    }

    /** Opens the pool and applies pending migrations; throws with the URL's problem if it cannot. */
    public static Database open(String url, Optional<String> user, Optional<String> password, int maxPoolSize) {
        return open(url, user, password, maxPoolSize, Duration.ofSeconds(30));
    }

    /** As above; {@code connectionTimeout} bounds a caller's wait for a connection (an outage fails fast). */
    public static Database open(String url, Optional<String> user, Optional<String> password, int maxPoolSize,
            Duration connectionTimeout) {
        Dialect dialect = dialect(url);
        HikariConfig config = new HikariConfig();
        config.setConnectionTimeout(Math.max(250, connectionTimeout.toMillis()));
        config.setJdbcUrl(url);
        user.ifPresent(config::setUsername);
        password.ifPresent(config::setPassword);
        config.setMaximumPoolSize(maxPoolSize);
        config.setPoolName("spillway-db");
        if (dialect == Dialect.SQLITE) {
            createParentDirectory(url);
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", "FULL");
            config.addDataSourceProperty("busy_timeout", "5000");
        }
        HikariDataSource pool = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(pool)
                    .locations("classpath:db/migration/" + dialect.name().toLowerCase(java.util.Locale.ROOT))
                    .outOfOrder(true)
                    .load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(pool, dialect);
    }

    public DataSource dataSource() {
        return pool;
    }

    public Dialect dialect() {
        return dialect;
    }

    static Dialect dialect(String url) {
        if (url.startsWith("jdbc:sqlite:")) return Dialect.SQLITE;
        if (url.startsWith("jdbc:postgresql:")) return Dialect.POSTGRESQL;
        throw new IllegalArgumentException("database.url: must start with jdbc:sqlite: or jdbc:postgresql:, was '"
                + url + "'");
    }

    private static void createParentDirectory(String url) {
        String file = url.substring("jdbc:sqlite:".length());
        int query = file.indexOf('?');
        if (query >= 0) file = file.substring(0, query);
        if (file.isEmpty() || file.equals(":memory:") || file.startsWith("file:")) return;
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the database directory " + parent, e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
