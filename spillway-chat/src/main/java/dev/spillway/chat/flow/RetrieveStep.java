package dev.spillway.chat.flow;

import dev.spillway.retrieval.Hit;
import dev.spillway.retrieval.Retriever;
import dev.spillway.retrieval.SearchRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Step 2: searches with the rewritten query, the user's mode and top-k, and their access groups. */
final class RetrieveStep implements FlowStep {
    private static final int EXCERPT_CHARS = 300;
    private final Retriever retriever;

    RetrieveStep(Retriever retriever) {
        this.retriever = retriever;
    }

    @Override
    public String name() {
        return "retrieve";
    }

    @Override
    public void run(TurnState state) {
        SearchSettings s = state.turn.settings();
        SearchRequest request = new SearchRequest(state.query, s.mode(), s.topK(), state.turn.groups());
        state.input("query", request.query());
        state.input("mode", s.mode().name().toLowerCase(java.util.Locale.ROOT));
        state.input("top-k", s.topK());
        state.input("groups", new TreeSet<>(request.groups()));
        state.hits = List.copyOf(retriever.search(request));
        state.output("hits", state.hits.stream().map(RetrieveStep::describe).toList());
    }

    private static Map<String, Object> describe(Hit h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("citation", h.citation());
        m.put("score", h.score());
        m.put("section", h.section());
        m.put("text", h.text().length() > EXCERPT_CHARS ? h.text().substring(0, EXCERPT_CHARS) + "…" : h.text());
        return m;
    }

}
