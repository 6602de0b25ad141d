package dev.spillway.retrieval.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides which access groups may read a document. In order: a sidecar file next to it
 * ({@code report.pdf.groups}: group names separated by commas or new lines, {@code #} comments),
 * else the first {@code access-groups} rule whose glob matches its source path, else
 * {@code default-groups}. An empty result means public. Immutable and thread-safe.
 */
public final class AccessPolicy {
    public static final String SIDECAR_SUFFIX = ".groups";

    private final List<AccessRule> rules;
    private final Set<String> defaults;

    public AccessPolicy(List<AccessRule> rules, Set<String> defaults) {
        this.rules = List.copyOf(rules);
        this.defaults = Set.copyOf(defaults);
    }

    /** The groups of the document at {@code file}, whose source path is {@code source}. */
    public Set<String> groupsFor(Path file, String source) {
        Path sidecar = file.resolveSibling(file.getFileName() + SIDECAR_SUFFIX);
        if (Files.isRegularFile(sidecar)) return readSidecar(sidecar);
        for (AccessRule r : rules) if (r.matches(source)) return r.groups();
        return defaults;
    }

    private static Set<String> readSidecar(Path sidecar) {
        try {
            Set<String> groups = new LinkedHashSet<>();
            for (String line : Files.readAllLines(sidecar)) {
                String content = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
                for (String g : content.split(",")) if (!g.isBlank()) groups.add(g.strip());
            }
            return Set.copyOf(groups);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read access groups from " + sidecar, e);
        }
    }
}
