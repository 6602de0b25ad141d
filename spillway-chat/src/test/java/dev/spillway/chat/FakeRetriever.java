package dev.spillway.chat;

import dev.spillway.retrieval.Hit;
import dev.spillway.retrieval.Retriever;
import dev.spillway.retrieval.SearchRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Returns fixed hits and records every search request. */
public final class FakeRetriever implements Retriever {
    public final List<SearchRequest> requests = new CopyOnWriteArrayList<>();
    private final List<Hit> hits;

    public FakeRetriever(List<Hit> hits) {
        this.hits = List.copyOf(hits);
    }

    public static FakeRetriever handbook() {
        return new FakeRetriever(List.of(
                new Hit("c1", "handbook.pdf", 3, "Vacation", "Employees get 25 days of paid vacation per year.", 0.91,
                        "handbook.pdf#page=3"),
                new Hit("c2", "benefits.md", 0, "Dental", "Dental cleanings are covered twice a year.", 0.72,
                        "benefits.md#dental")));
    }

    @Override
    public List<Hit> search(SearchRequest request) {
        requests.add(request);
        return hits.subList(0, Math.min(request.topK(), hits.size()));
    }
}
