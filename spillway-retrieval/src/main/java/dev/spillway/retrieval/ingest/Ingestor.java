package dev.spillway.retrieval.ingest;

import dev.spillway.retrieval.RetrievalConfig;
import dev.spillway.retrieval.embed.Embedder;
import dev.spillway.retrieval.index.ChunkIndexWriter;
import dev.spillway.retrieval.index.IndexedDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Brings the index in line with the files under the given roots: new files are added, files
 * whose content, groups or chunking changed are replaced, unchanged files are skipped (by content
 * hash) and files no longer under the roots are removed. One commit at the end, so a crash leaves
 * the previous index intact. Not thread-safe; one run at a time per index (Lucene's write lock).
 */
public final class Ingestor {
    private static final int EMBED_BATCH = 32;
    /** Part of every file hash: bump it when parsing or chunking changes, so files are re-ingested. */
    private static final String CHUNKING_VERSION = "2";

    private final RetrievalConfig config;
    private final Embedder embedder;
    private final Chunker chunker;
    private final AccessPolicy access;

    public Ingestor(RetrievalConfig config, Embedder embedder) {
        this.config = config;
        this.embedder = embedder;
        this.chunker = new Chunker(config.chunkSize(), config.chunkOverlap());
        this.access = new AccessPolicy(config.accessGroups(), config.defaultGroups());
    }

    public IngestSummary ingest(List<Path> roots, ProgressListener progress) {
        List<SourceFile> files = SourceFile.discover(roots);
        Tally tally = new Tally();
        Pages counter = new Pages(progress, files);
        try (ChunkIndexWriter writer = ChunkIndexWriter.open(config.indexDir(), embedder.modelId())) {
            Map<String, ChunkIndexWriter.FileState> indexed = writer.files();
            for (SourceFile f : files) {
                counter.startFile(f);
                ingestOne(writer, f, indexed.get(f.source()), tally, counter);
                counter.endFile();
            }
            Set<String> present = new HashSet<>(files.stream().map(SourceFile::source).toList());
            for (var e : indexed.entrySet()) {
                if (present.contains(e.getKey())) continue;
                writer.remove(e.getKey());
                tally.filesRemoved++;
                tally.chunksRemoved += e.getValue().chunks();
            }
            writer.commit();
        } finally {
            progress.finished();
        }
        return tally.summary();
    }

    private void ingestOne(ChunkIndexWriter writer, SourceFile f, ChunkIndexWriter.FileState old, Tally tally, Pages counter) {
        try {
            byte[] content = Files.readAllBytes(f.path());
            Set<String> groups = access.groupsFor(f.path(), f.source());
            String hash = SourceFile.hash(content, groups,
                    config.chunkSize() + "/" + config.chunkOverlap() + "/" + CHUNKING_VERSION);
            if (old != null && old.hash().equals(hash)) {
                tally.filesSkipped++;
                counter.skipFile();
                return;
            }
            List<Passage> passages = Parsers.forFile(f.source()).orElseThrow().parse(content);
            String title = title(f.source());
            IndexedDocument doc = new IndexedDocument(f.source(), title, hash, groups, pages(passages),
                    embed(title, chunker.chunk(passages), counter), java.util.Optional.of(f.path()));
            writer.replace(doc);
            tally.chunksAdded += doc.chunks().size();
            if (old == null) {
                tally.filesAdded++;
            } else {
                tally.filesUpdated++;
                tally.chunksRemoved += old.chunks();
            }
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            tally.failures.add(f.source() + ": " + e.getMessage());
        }
    }

    /** The file name without folders and extension, {@code _} and {@code -} read as spaces. */
    static String title(String source) {
        String name = source.substring(source.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name).replaceAll("[_\\-]+", " ").strip();
    }

    private List<IndexedDocument.Chunk> embed(String title, List<Chunker.Chunk> chunks, Pages counter) {
        List<IndexedDocument.Chunk> out = new ArrayList<>(chunks.size());
        for (int from = 0; from < chunks.size(); from += EMBED_BATCH) {
            counter.within(from, chunks.size());
            List<Chunker.Chunk> batch = chunks.subList(from, Math.min(chunks.size(), from + EMBED_BATCH));
            List<float[]> vectors = embedder.embedPassages(batch.stream()
                    .map(c -> IndexedDocument.Chunk.searchableText(title, c.section(), c.text())).toList());
            for (int i = 0; i < batch.size(); i++) {
                Chunker.Chunk c = batch.get(i);
                out.add(new IndexedDocument.Chunk(c.page(), c.section(), c.text(), vectors.get(i)));
            }
        }
        return out;
    }

    /** The page texts kept for the citation view: one per PDF page, or the whole document as page 0. */
    private static List<IndexedDocument.Page> pages(List<Passage> passages) {
        if (passages.stream().allMatch(p -> p.page() == 0)) {
            StringBuilder all = new StringBuilder();
            for (Passage p : passages) {
                if (!p.section().isBlank()) all.append(p.section()).append("\n\n");
                all.append(p.text()).append("\n\n");
            }
            return List.of(new IndexedDocument.Page(0, all.toString().strip()));
        }
        Map<Integer, StringBuilder> byPage = new LinkedHashMap<>();
        String previous = "";
        for (Passage p : passages) {
            StringBuilder text = byPage.computeIfAbsent(p.page(), k -> new StringBuilder());
            // a heading carried over from the page before is not on this page
            if (!p.section().isBlank() && !p.section().equals(previous)) text.append(p.section()).append('\n');
            text.append(p.text()).append('\n');
            previous = p.section();
        }
        return byPage.entrySet().stream()
                .map(e -> new IndexedDocument.Page(e.getKey(), e.getValue().toString().strip())).toList();
    }

    /**
     * Reports pages as they are done: a file's pages count when it is finished, or skipped, and
     * in proportion to its embedded chunks while it is embedded (embedding is where the time goes).
     */
    private static final class Pages {
        private final ProgressListener listener;
        private final Map<SourceFile, Long> counts = new java.util.HashMap<>();
        private final long total;
        private long done;
        private long skipped;
        private SourceFile file;
        private long filePages;

        Pages(ProgressListener listener, List<SourceFile> files) {
            this.listener = listener;
            for (SourceFile f : files) counts.put(f, f.pageCount());
            this.total = counts.values().stream().mapToLong(Long::longValue).sum();
            listener.pages(new PageProgress(0, total, 0, ""));
        }

        void startFile(SourceFile f) {
            file = f;
            filePages = counts.get(f);
            listener.pages(new PageProgress(done, total, skipped, f.source()));
        }

        void within(int chunksDone, int chunks) {
            listener.pages(new PageProgress(done + filePages * chunksDone / Math.max(1, chunks), total, skipped, file.source()));
        }

        void skipFile() {
            skipped += filePages;
        }

        void endFile() {
            done += filePages;
            listener.pages(new PageProgress(done, total, skipped, file.source()));
        }
    }

    private static final class Tally {
        int filesAdded, filesUpdated, filesSkipped, filesRemoved, chunksAdded, chunksRemoved;
        final List<String> failures = new ArrayList<>();

        IngestSummary summary() {
            return new IngestSummary(filesAdded, filesUpdated, filesSkipped, filesRemoved, chunksAdded, chunksRemoved, failures);
        }
    }
}
