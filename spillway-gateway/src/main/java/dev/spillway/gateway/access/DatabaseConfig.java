package dev.spillway.gateway.access;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.Secret;
import java.util.Optional;

/**
 * {@code gateway.database}: the JDBC database holding keys (and the usage ledger): a SQLite file by
 * default, PostgreSQL for fleets. Immutable.
 */
public record DatabaseConfig(String url, Optional<String> user, Optional<Secret> password, int maxPoolSize) {
    public static final DatabaseConfig DEFAULT = new DatabaseConfig("jdbc:sqlite:data/spillway.db", Optional.empty(),
            Optional.empty(), 4);

    public DatabaseConfig {
        if (!url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("url: must start with jdbc:sqlite: or jdbc:postgresql:, was '" + url + "'");
        }
        if (maxPoolSize < 1) throw new IllegalArgumentException("max-pool-size: must be >= 1, was " + maxPoolSize);
    }

    public static DatabaseConfig from(ConfigNode n) {
        n.allowOnly("url", "user", "password", "max-pool-size");
        Optional<Secret> password = n.has("password") ? Optional.ofNullable(n.secret("password")) : Optional.empty();
        return n.build(() -> new DatabaseConfig(n.string("url", DEFAULT.url()), n.optionalString("user"), password,
                n.integer("max-pool-size", DEFAULT.maxPoolSize())));
    }
}
