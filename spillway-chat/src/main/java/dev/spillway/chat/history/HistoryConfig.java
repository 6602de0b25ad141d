package dev.spillway.chat.history;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.Secret;
import java.util.Optional;

/**
 * The {@code chat.history:} section: a JDBC URL ({@code jdbc:sqlite:...} by default,
 * {@code jdbc:postgresql://...} for a shared database) and optional credentials. Immutable.
 */
public record HistoryConfig(String url, Optional<String> username, Optional<Secret> password) {
    public HistoryConfig {
        if (url == null || !(url.startsWith("jdbc:sqlite:") || url.startsWith("jdbc:postgresql:"))) {
            throw new IllegalArgumentException("url: must start with jdbc:sqlite: or jdbc:postgresql:, was '" + url + "'");
        }
    }

    public static HistoryConfig sqlite(String file) {
        return new HistoryConfig("jdbc:sqlite:" + file, Optional.empty(), Optional.empty());
    }

    public static HistoryConfig from(ConfigNode node) {
        node.allowOnly("url", "username", "password");
        Optional<Secret> password = node.has("password") ? Optional.ofNullable(node.secret("password")) : Optional.empty();
        return node.build(() -> new HistoryConfig(node.string("url", "jdbc:sqlite:data/chat.db"),
                node.optionalString("username"), password));
    }
}
