package dev.spillway.retrieval.ingest;

import dev.spillway.core.config.ConfigNode;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Set;

/**
 * One {@code access-groups} rule: documents whose source path (relative to the ingestion root,
 * with {@code /} separators) matches the glob {@code path} may be read by members of
 * {@code groups}. Immutable.
 */
public record AccessRule(String path, Set<String> groups) {
    public AccessRule {
        if (path == null || path.isBlank()) throw new IllegalArgumentException("path: must be a glob such as 'hr/**'");
        groups = Set.copyOf(groups);
        for (String g : groups) {
            if (g.isBlank() || !g.strip().equals(g)) {
                throw new IllegalArgumentException("groups: a group name must be non-empty without surrounding spaces, was '" + g + "'");
            }
        }
        matcher(path);
    }

    /** Reads one rule ({@code path}, {@code groups}) from config. */
    public static AccessRule from(ConfigNode node) {
        node.allowOnly("path", "groups");
        String path = node.requiredString("path");
        List<String> groups = node.strings("groups");
        return node.build(() -> new AccessRule(path, Set.copyOf(groups)));
    }

    /** Whether this rule covers {@code source} (relative, {@code /}-separated). */
    public boolean matches(String source) {
        return matcher(path).matches(Path.of(source));
    }

    private static PathMatcher matcher(String glob) {
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + glob);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("path: not a valid glob '" + glob + "': " + e.getMessage());
        }
    }
}
