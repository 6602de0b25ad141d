package dev.spillway.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The shared JDBC database (SQLite file by default, PostgreSQL for fleets): a HikariCP pool and the
 * Flyway migrations under {@code db/migration/<dialect>}. SQLite runs in WAL mode with
 * {@code synchronous=FULL}. Migrations may arrive out of order (the ledger owns versions 1-99, the
 * key store 100 and up). Thread-safe; close it on shutdown. The stores of one process share one
 * per URL ({@link #shared}): a pool and a migration run each cost start-up time, and each SQLite
 * connection keeps a page cache of its own.
 */
public final class Database implements AutoCloseable {
    /** Which SQL the adapters speak; read from the JDBC URL. */
    public enum Dialect { SQLITE, POSTGRESQL }

    /** The databases {@link #shared} handed out, by user and URL; guarded by itself. */
    private static final Map<String, Share> SHARED = new HashMap<>();

    private final HikariDataSource pool;
    private final Dialect dialect;
    /** Closes the pool, or gives back one handle on a shared one; run by the first {@link #close}. */
    private final Runnable release;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Database(HikariDataSource pool, Dialect dialect, Runnable release) {
        this.pool = pool;
        this.dialect = dialect;
        this.release = release;
    }

    /** A database and how many open handles share it. */
    private static final class Share {
        final Database database;
        int handles;

        Share(Database database) {
            this.database = database;
        }
    }

    /**
     * The database on {@code url} shared by every store of this process that names it (the key
     * store, the ledger and the batch lane all live on {@code gateway.database}): the first call
     * opens it as {@link #open} does, later calls get a handle on the same pool, and the pool closes
     * with the last handle. The first call's pool size and timeout hold for all.
     */
    public static Database shared(String url, Optional<String> user, Optional<String> password, int maxPoolSize) {
        String key = user.map(u -> u + '@').orElse("") + url;
        synchronized (SHARED) {
            Share share = SHARED.computeIfAbsent(key, k -> new Share(open(url, user, password, maxPoolSize)));
            share.handles++;
            return new Database(share.database.pool, share.database.dialect, () -> release(key, share));
        }
    }

    private static void release(String key, Share share) {
        synchronized (SHARED) {
            if (--share.handles > 0) return;
            SHARED.remove(key);
            share.database.close();
        }
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
        return new Database(pool, dialect, pool::close);
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
        if (closed.compareAndSet(false, true)) release.run();
    }
}
