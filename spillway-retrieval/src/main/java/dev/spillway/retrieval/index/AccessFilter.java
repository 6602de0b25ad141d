package dev.spillway.retrieval.index;

import java.util.Set;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * Builds the security-trimming filter that every search runs inside: documents of the given kind
 * that are public or share a group with the caller. Used as a FILTER clause for BM25 and as the
 * kNN pre-filter, so a hidden chunk never enters a candidate list. Stateless.
 */
final class AccessFilter {
    private AccessFilter() {
    }

    static Query of(String kind, Set<String> groups) {
        BooleanQuery.Builder visible = new BooleanQuery.Builder();
        visible.add(new TermQuery(new Term(IndexFields.PUBLIC, "true")), Occur.SHOULD);
        for (String g : groups) visible.add(new TermQuery(new Term(IndexFields.GROUP, g)), Occur.SHOULD);
        Query filter = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(IndexFields.KIND, kind)), Occur.FILTER)
                .add(visible.build(), Occur.FILTER)
                .build();
        return new ConstantScoreQuery(filter);
    }
}
