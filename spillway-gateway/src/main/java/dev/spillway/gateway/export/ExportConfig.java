package dev.spillway.gateway.export;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.DataSize;
import java.net.URI;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code export:} section: ship each usage record and audit record, once it is durable, to a
 * central log store as well: as OpenTelemetry log records over OTLP/HTTP ({@code otlp-endpoint},
 * e.g. {@code http://collector:4318/v1/logs}) and/or as JSON lines in {@code dir} rotated at
 * {@code max-file-size}, keeping {@code max-files}, for a log shipper. {@code records} picks which
 * ({@code usage}, {@code audit}; both by default). Immutable.
 */
public record ExportConfig(Set<Kind> records, Optional<URI> otlpEndpoint, String serviceName, Optional<Path> dir,
        DataSize maxFileSize, int maxFiles, int queueSize) {

    /** What is shipped. */
    public enum Kind { USAGE, AUDIT }

    public ExportConfig {
        records = records.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(records));
        otlpEndpoint.ifPresent(u -> {
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                throw new IllegalArgumentException("otlp-endpoint: must be an http(s) URL, was " + u);
            }
        });
        if (maxFileSize.bytes() < 1024) throw new IllegalArgumentException("max-file-size: must be at least 1KiB, was " + maxFileSize);
        if (maxFiles < 1) throw new IllegalArgumentException("max-files: must be >= 1, was " + maxFiles);
        if (queueSize < 1) throw new IllegalArgumentException("queue-size: must be >= 1, was " + queueSize);
    }

    public static ExportConfig none() {
        return new ExportConfig(EnumSet.allOf(Kind.class), Optional.empty(), "spillway-gateway", Optional.empty(),
                DataSize.ofMebibytes(64), 10, 10_000);
    }

    /** Whether anything is shipped at all. */
    public boolean enabled() {
        return !records.isEmpty() && (otlpEndpoint.isPresent() || dir.isPresent());
    }

    public static ExportConfig from(ConfigNode n, String serviceName) {
        n.allowOnly("records", "otlp-endpoint", "dir", "max-file-size", "max-files", "queue-size");
        ExportConfig d = none();
        List<String> names = n.has("records") ? n.strings("records") : List.of("usage", "audit");
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        for (String name : names) {
            switch (name) {
                case "usage" -> kinds.add(Kind.USAGE);
                case "audit" -> kinds.add(Kind.AUDIT);
                default -> n.problem("records", "must list usage and/or audit, was '" + name + "'");
            }
        }
        ExportConfig built = n.build(() -> new ExportConfig(kinds,
                n.optionalString("otlp-endpoint").map(URI::create), serviceName,
                n.optionalString("dir").map(Path::of),
                n.size("max-file-size", d.maxFileSize()), n.integer("max-files", d.maxFiles()),
                n.integer("queue-size", d.queueSize())));
        return built == null ? d : built;
    }
}
