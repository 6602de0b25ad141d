package dev.spillway.retrieval.eval;

import dev.spillway.retrieval.Hit;
import dev.spillway.retrieval.Retriever;
import dev.spillway.retrieval.SearchMode;
import dev.spillway.retrieval.SearchRequest;
import java.util.List;
import java.util.Set;

/**
 * A model-free baseline answerer: searches, then answers with the first sentences of the best
 * hit and cites it. It measures what retrieval alone gives the citation metric, and keeps
 * {@code spillway eval answers} useful without a model. Thread-safe if the retriever is; closing
 * it closes the retriever.
 */
public final class ExtractiveAnswerSource implements AnswerSource {
    private final Retriever retriever;
    private final SearchMode mode;
    private final int topK;
    private final Set<String> groups;

    public ExtractiveAnswerSource(Retriever retriever, SearchMode mode, int topK, Set<String> groups) {
        this.retriever = retriever;
        this.mode = mode;
        this.topK = topK;
        this.groups = Set.copyOf(groups);
    }

    @Override
    public Answer answer(String question) {
        List<Hit> hits = retriever.search(new SearchRequest(question, mode, topK, groups));
        if (hits.isEmpty()) return new Answer("I don't know.", hits);
        Hit best = hits.getFirst();
        List<String> sentences = AnswerMetrics.sentences(best.text());
        String text = String.join(" ", sentences.subList(0, Math.min(2, sentences.size())));
        return new Answer(text + " [" + best.citation() + "]", hits);
    }

    @Override
    public void close() {
        if (retriever instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot close the retriever: " + e.getMessage(), e);
            }
        }
    }
}
