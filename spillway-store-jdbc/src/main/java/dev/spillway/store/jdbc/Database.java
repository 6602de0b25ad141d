package dev.spillway.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A pooled connection to the one SQL database ({@code jdbc:sqlite:FILE} embedded, or
 * {@code jdbc:postgresql://...}), migrated by Flyway from {@code db/migration/<dialect>} on open.
 * SQLite runs in WAL mode with {@code synchronous=FULL} and one pooled connection, so writes are
 * serialized. Thread-safe; one per process, closed at shutdown.
 */
public final class Database implements AutoCloseable {
    /** The SQL dialects Spillway migrates and queries. */
    public enum Dialect { SQLITE, POSTGRESQL }

    private final HikariDataSource dataSource;
    private final Dialect dialect;

    private Database(HikariDataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    /** Opens and migrates; {@code connectTimeout} bounds how long a caller waits for a connection. */
    public static Database open(String url, Duration connectTimeout) {
        Dialect dialect = dialectOf(url);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setPoolName("spillway-db");
        config.setConnectionTimeout(Math.max(250, connectTimeout.toMillis()));
        config.setInitializationFailTimeout(-1);
        if (dialect == Dialect.SQLITE) {
            createParentDirectory(url);
            config.setMaximumPoolSize(1);
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", "FULL");
            config.addDataSourceProperty("busy_timeout", "10000");
        } else {
            config.setMaximumPoolSize(4);
        }
        HikariDataSource ds = new HikariDataSource(config);
        try {
            migrate(ds, dialect);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds, dialect);
    }

    public static Database open(String url) {
        return open(url, Duration.ofSeconds(5));
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Dialect dialect() {
        return dialect;
    }

    @Override
    public void close() {
        dataSource.close();
    }

    public static Dialect dialectOf(String url) {
        if (url.startsWith("jdbc:sqlite:")) return Dialect.SQLITE;
        if (url.startsWith("jdbc:postgresql:")) return Dialect.POSTGRESQL;
        throw new IllegalArgumentException(
                "url: must start with jdbc:sqlite: or jdbc:postgresql:, was " + url.split("\\?")[0]);
    }

    private static void migrate(DataSource ds, Dialect dialect) {
        String folder = dialect == Dialect.SQLITE ? "sqlite" : "postgresql";
        Flyway.configure(Database.class.getClassLoader())
                .dataSource(ds)
                .locations("classpath:db/migration/" + folder)
                .load()
                .migrate();
    }

    private static void createParentDirectory(String url) {
        String file = url.substring("jdbc:sqlite:".length()).split("\\?")[0];
        if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) return;
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the database folder " + parent, e);
        }
    }
}
