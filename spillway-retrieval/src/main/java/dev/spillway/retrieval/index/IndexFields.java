package dev.spillway.retrieval.index;

import java.text.Normalizer;
import java.util.Locale;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * The index layout, in one place. Three kinds of Lucene document share the index: {@code file}
 * (source and content hash), {@code page} (full page text and the source file's path for the citation view) and
 * {@code chunk} (BM25 text, HNSW vector, section, page). Every page and chunk carries its
 * document's access groups, or {@code public=true}. Stateless.
 */
final class IndexFields {
    static final String KIND = "kind";
    static final String ID = "id";
    static final String SOURCE = "source";
    static final String HASH = "hash";
    static final String PAGE = "page";
    static final String PAGE_KEY = "page_key";
    static final String CHUNKS = "chunks";
    static final String SECTION = "section";
    static final String BODY = "body";
    static final String TEXT = "text";
    static final String VECTOR = "vector";
    static final String GROUP = "group";
    static final String PUBLIC = "public";
    static final String ORIGIN = "origin";
    static final String MODEL_KEY = "spillway.embedding-model";

    private IndexFields() {
    }

    static Analyzer analyzer() {
        return new EnglishAnalyzer();
    }

    static Document file(IndexedDocument doc) {
        Document d = new Document();
        d.add(new StringField(KIND, "file", Field.Store.NO));
        d.add(new StringField(SOURCE, doc.source(), Field.Store.YES));
        d.add(new StoredField(HASH, doc.hash()));
        d.add(new StoredField(CHUNKS, doc.chunks().size()));
        return d;
    }

    static Document page(IndexedDocument doc, IndexedDocument.Page page) {
        Document d = new Document();
        d.add(new StringField(KIND, "page", Field.Store.NO));
        d.add(new StringField(SOURCE, doc.source(), Field.Store.YES));
        d.add(new StringField(PAGE_KEY, Integer.toString(page.page()), Field.Store.NO));
        d.add(new StoredField(PAGE, page.page()));
        d.add(new StoredField(BODY, page.text()));
        doc.origin().ifPresent(p -> d.add(new StoredField(ORIGIN, p.toAbsolutePath().toString())));
        acl(d, doc);
        return d;
    }

    static Document chunk(IndexedDocument doc, int ordinal, IndexedDocument.Chunk chunk) {
        Document d = new Document();
        d.add(new StringField(KIND, "chunk", Field.Store.NO));
        d.add(new StringField(ID, doc.source() + "#" + ordinal, Field.Store.YES));
        d.add(new StringField(SOURCE, doc.source(), Field.Store.YES));
        d.add(new StoredField(PAGE, chunk.page()));
        d.add(new StoredField(SECTION, chunk.section()));
        d.add(new StoredField(BODY, chunk.text()));
        // The title and heading are searchable too: a chunk under "Vision coverage" is about vision.
        d.add(new TextField(TEXT, IndexedDocument.Chunk.searchableText(doc.title(), chunk.section(), chunk.text()),
                Field.Store.NO));
        d.add(new KnnFloatVectorField(VECTOR, chunk.vector(), VectorSimilarityFunction.DOT_PRODUCT));
        acl(d, doc);
        return d;
    }

    /** {@code file.pdf#page=3} when the format has pages, {@code guide.md#install-it} for a section. */
    static String citation(String source, int page, String section) {
        if (page > 0) return source + "#page=" + page;
        if (section.isBlank()) return source;
        return source + "#" + slug(section);
    }

    static String slug(String heading) {
        String ascii = Normalizer.normalize(heading, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        return ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    private static void acl(Document d, IndexedDocument doc) {
        if (doc.groups().isEmpty()) d.add(new StringField(PUBLIC, "true", Field.Store.NO));
        for (String g : doc.groups()) d.add(new StringField(GROUP, g, Field.Store.NO));
    }
}
