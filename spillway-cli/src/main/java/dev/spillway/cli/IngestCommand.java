package dev.spillway.cli;

import dev.spillway.retrieval.RetrievalConfig;
import dev.spillway.retrieval.embed.Embedders;
import dev.spillway.retrieval.ingest.IngestSummary;
import dev.spillway.retrieval.ingest.Ingestor;
import dev.spillway.retrieval.ingest.TerminalProgress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code spillway ingest PATH...}: makes the chat index mirror the documents under the given
 * folders (txt, md, html, pdf): adds new files, replaces changed ones, removes deleted ones.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Index the documents (txt, md, html, pdf) under the given folders or files for the chat app.",
            "Unchanged files are skipped; files no longer under PATH are removed from the index.",
            "Access groups come from a sidecar 'FILE.groups' or chat.retrieval.access-groups in --config."})
final class IngestCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    Logging.Options logging;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "folders or files to ingest")
    List<Path> roots;
    @Mixin
    RetrievalOptions options;

    @Override
    public Integer call() {
        RetrievalConfig config = options.retrieval(options.root());
        long started = System.nanoTime();
        IngestSummary summary = new Ingestor(config, Embedders.create(config)).ingest(roots, TerminalProgress.onStdout());
        System.out.printf("%s (%.1f s) -> %s%n", summary, (System.nanoTime() - started) / 1e9, config.indexDir());
        summary.failures().forEach(f -> System.err.println("failed: " + f));
        return summary.failures().isEmpty() ? 0 : 1;
    }
}
