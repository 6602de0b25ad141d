package dev.spillway.retrieval.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.QueryBuilder;

/**
 * Builds the BM25 query of a search: each analyzed query term as itself, except a term that no
 * chunk contains, which is searched as a fuzzy term (first letter fixed; one edit for five letters, two for
 * longer terms) so a
 * misspelt word ("hearin", "servises") still finds the index's spelling. A term the index knows is
 * never widened. One per search: it reads the searcher's term statistics.
 */
final class TypoTolerantQueryBuilder extends QueryBuilder {
    /** Shorter unknown terms are left as they are: one edit turns them into too many words. */
    static final int MIN_FUZZY_LENGTH = 5;
    private final IndexReader reader;

    TypoTolerantQueryBuilder(IndexReader reader) {
        super(IndexFields.analyzer());
        this.reader = reader;
    }

    @Override
    protected Query newTermQuery(Term term, float boost) {
        Query q = known(term) || term.text().length() < MIN_FUZZY_LENGTH
                ? new TermQuery(term)
                : new FuzzyQuery(term, term.text().length() < 6 ? 1 : 2, 1);
        return boost == 1f ? q : new BoostQuery(q, boost);
    }

    private boolean known(Term term) {
        try {
            return reader.docFreq(term) > 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read term statistics", e);
        }
    }
}
