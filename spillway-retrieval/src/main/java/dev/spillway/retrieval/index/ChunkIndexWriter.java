package dev.spillway.retrieval.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * Writes source documents into the on-disk index: replaces all Lucene documents of a source in
 * one step and records the embedding model in the commit, refusing to mix models in one index.
 * Holds Lucene's write lock while open (one writer per index directory, across processes).
 * Not thread-safe; one per ingestion run.
 */
public final class ChunkIndexWriter implements AutoCloseable {
    private final Directory directory;
    private final IndexWriter writer;
    private final String modelId;

    private ChunkIndexWriter(Directory directory, IndexWriter writer, String modelId) {
        this.directory = directory;
        this.writer = writer;
        this.modelId = modelId;
    }

    /** Opens (creating if needed) the index at {@code dir} for vectors of model {@code modelId}. */
    public static ChunkIndexWriter open(Path dir, String modelId) {
        try {
            Directory directory = FSDirectory.open(dir);
            Optional<String> existing = recordedModel(directory);
            if (existing.isPresent() && !existing.get().equals(modelId)) {
                directory.close();
                throw new IllegalStateException("index " + dir + " holds vectors of model '" + existing.get()
                        + "', not '" + modelId + "'; delete the index directory to rebuild it with the new model");
            }
            IndexWriterConfig config = new IndexWriterConfig(IndexFields.analyzer())
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setRAMBufferSizeMB(64);
            return new ChunkIndexWriter(directory, new IndexWriter(directory, config), modelId);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open index " + dir + " for writing", e);
        }
    }

    /** The embedding model id recorded in the index at {@code dir}, if there is an index and it records one. */
    public static Optional<String> recordedModel(Path dir) {
        if (!Files.isDirectory(dir)) return Optional.empty();
        try (Directory directory = FSDirectory.open(dir)) {
            return recordedModel(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read index " + dir, e);
        }
    }

    /** The embedding model recorded in the latest commit of {@code directory}, if any. */
    static Optional<String> recordedModel(Directory directory) throws IOException {
        if (!DirectoryReader.indexExists(directory)) return Optional.empty();
        try (DirectoryReader reader = DirectoryReader.open(directory)) {
            Map<String, String> data = reader.getIndexCommit().getUserData();
            return Optional.ofNullable(data.get(IndexFields.MODEL_KEY));
        }
    }

    /** What the index holds for one source file. */
    public record FileState(String hash, int chunks) {
    }

    /** Every source file in the index (including uncommitted changes). */
    public Map<String, FileState> files() {
        try (DirectoryReader reader = DirectoryReader.open(writer)) {
            IndexSearcher searcher = new IndexSearcher(reader);
            TermQuery files = new TermQuery(new Term(IndexFields.KIND, "file"));
            int count = Math.max(1, searcher.count(files));
            StoredFields stored = searcher.storedFields();
            Map<String, FileState> hashes = new HashMap<>();
            for (ScoreDoc sd : searcher.search(files, count).scoreDocs) {
                Document d = stored.document(sd.doc);
                int chunks = d.getField(IndexFields.CHUNKS).numericValue().intValue();
                hashes.put(d.get(IndexFields.SOURCE), new FileState(d.get(IndexFields.HASH), chunks));
            }
            return hashes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the index", e);
        }
    }

    /** Replaces everything indexed for {@code doc.source()} with {@code doc}. */
    public void replace(IndexedDocument doc) {
        List<Document> docs = new java.util.ArrayList<>();
        docs.add(IndexFields.file(doc));
        for (IndexedDocument.Page p : doc.pages()) docs.add(IndexFields.page(doc, p));
        for (int i = 0; i < doc.chunks().size(); i++) docs.add(IndexFields.chunk(doc, i, doc.chunks().get(i)));
        try {
            writer.updateDocuments(new Term(IndexFields.SOURCE, doc.source()), docs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot index " + doc.source(), e);
        }
    }

    /** Removes every Lucene document of {@code source}. */
    public void remove(String source) {
        try {
            writer.deleteDocuments(new Term(IndexFields.SOURCE, source));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + source, e);
        }
    }

    /** Makes the changes durable and visible to readers, recording the embedding model. */
    public void commit() {
        try {
            writer.setLiveCommitData(Map.of(IndexFields.MODEL_KEY, modelId).entrySet());
            writer.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit the index", e);
        }
    }

    @Override
    public void close() {
        try {
            writer.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the index", e);
        }
    }
}
