package dev.spillway.core.tls;

import dev.spillway.core.config.ConfigNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A listener's {@code tls:} section: the PEM certificate chain and private key it serves, and how
 * often the files are checked for a change (a changed pair is loaded without a restart). Only
 * TLS 1.2 and 1.3 are offered. Immutable.
 */
public record TlsConfig(Path certFile, Path keyFile, Duration reloadInterval) {
    /** The protocol versions every Spillway listener offers. */
    public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(10);

    public TlsConfig {
        Objects.requireNonNull(certFile, "cert-file: is required");
        Objects.requireNonNull(keyFile, "key-file: is required");
        if (reloadInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("reload-interval: must be at least 1s, was " + reloadInterval);
        }
    }

    public TlsConfig(Path certFile, Path keyFile) {
        this(certFile, keyFile, DEFAULT_RELOAD_INTERVAL);
    }

    /** The {@code tls} key under {@code parent}, when present; missing or unreadable files are problems. */
    public static Optional<TlsConfig> from(ConfigNode parent) {
        if (!parent.has("tls")) return Optional.empty();
        return Optional.ofNullable(parent.object("tls", TlsConfig::read));
    }

    private static TlsConfig read(ConfigNode n) {
        n.allowOnly("cert-file", "key-file", "reload-interval");
        return n.build(() -> new TlsConfig(readable(n, "cert-file"), readable(n, "key-file"),
                n.duration("reload-interval", DEFAULT_RELOAD_INTERVAL)));
    }

    private static Path readable(ConfigNode n, String key) {
        String file = n.requiredString(key);
        if (file == null) return null;
        Path path = Path.of(file);
        if (!Files.isReadable(path)) n.problem(key, "no readable file at '" + path.toAbsolutePath() + "'");
        return path;
    }
}
