package dev.spillway.cli;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.retrieval.RetrievalConfig;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The {@code --config} and {@code --index-dir} options shared by ingest and eval (a picocli mixin). */
final class RetrievalOptions {
    @Option(names = "--config", description = "YAML config file; its chat.retrieval section is used (default: built-in defaults)")
    Optional<Path> config;

    @Option(names = "--index-dir", description = "index directory (overrides chat.retrieval.index-dir)")
    Optional<Path> indexDir;

    /** The config file's root node, or an empty root when no file was given. */
    ConfigNode root() {
        return config.map(p -> ConfigLoader.read(p, System.getenv()))
                .orElseGet(() -> ConfigNode.root(null, System.getenv()));
    }

    /** The {@code chat.retrieval} section, validated, with {@code --index-dir} applied. */
    RetrievalConfig retrieval(ConfigNode root) {
        RetrievalConfig c = RetrievalConfig.from(root.child("chat").child("retrieval"));
        root.throwIfInvalid();
        if (indexDir.isEmpty()) return c;
        return new RetrievalConfig(indexDir.get(), c.modelCacheDir(), c.embedder(), c.localModel(), c.gateway(), c.embedThreads(),
                c.embedMaxTokens(), c.chunkSize(), c.chunkOverlap(), c.search(), c.accessGroups(), c.defaultGroups());
    }
}
