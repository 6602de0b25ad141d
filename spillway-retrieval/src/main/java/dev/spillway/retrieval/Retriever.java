package dev.spillway.retrieval;

import java.util.List;

/**
 * Finds the chunks of ingested documents that best answer a query, enforcing the caller's
 * access groups inside the search (never by filtering afterwards). Thread-safe.
 */
public interface Retriever {
    List<Hit> search(SearchRequest request);
}
