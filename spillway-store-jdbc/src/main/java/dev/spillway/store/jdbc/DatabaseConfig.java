package dev.spillway.store.jdbc;

import dev.spillway.core.config.ConfigNode;
import java.time.Duration;

/**
 * {@code gateway.database}: the one SQL database for keys, the usage ledger and the audit index.
 * Immutable, validated on construction.
 *
 * @param url            {@code url}, default {@code jdbc:sqlite:<data-dir>/spillway.db}; or
 *                       {@code jdbc:postgresql://host:5432/db?user=...&password=...}
 * @param connectTimeout {@code connect-timeout}, default 5s: the longest wait for a connection
 */
public record DatabaseConfig(String url, Duration connectTimeout) {
    public static final String DEFAULT_URL = "jdbc:sqlite:data/spillway.db";

    public DatabaseConfig {
        Database.dialectOf(url);
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connect-timeout: must be > 0, was " + connectTimeout);
        }
    }

    public static DatabaseConfig defaults() {
        return new DatabaseConfig(DEFAULT_URL, Duration.ofSeconds(5));
    }

    public static DatabaseConfig from(ConfigNode node) {
        return from(node, DEFAULT_URL);
    }

    /** Reads {@code gateway.database}; {@code defaultUrl} applies when {@code url} is absent. */
    public static DatabaseConfig from(ConfigNode node, String defaultUrl) {
        node.allowOnly("url", "connect-timeout");
        String url = node.string("url", defaultUrl);
        Duration timeout = node.duration("connect-timeout", Duration.ofSeconds(5));
        DatabaseConfig built = node.build(() -> new DatabaseConfig(url, timeout));
        return built == null ? defaults() : built;
    }

    public Database open() {
        return Database.open(url, connectTimeout);
    }
}
