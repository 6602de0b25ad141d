package dev.spillway.retrieval.eval;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.retrieval.RetrievalConfig;
import dev.spillway.retrieval.SearchMode;

/**
 * Found by {@link java.util.ServiceLoader} so {@code spillway eval answers --answerer NAME} can use
 * an answer source from another module (the chat orchestrator) without this module depending on
 * it. Register in {@code META-INF/services/dev.spillway.retrieval.eval.AnswerSourceProvider}.
 */
public interface AnswerSourceProvider {
    /** The {@code --answerer} value that selects this provider, e.g. {@code chat}. */
    String name();

    /**
     * Builds the answer source from the whole config file's root node, the retrieval settings the
     * command resolved (its {@code --index-dir} applied) and the search mode and depth to use.
     * Throws {@link dev.spillway.core.config.ConfigException} when the config lacks what it needs.
     */
    AnswerSource open(ConfigNode root, RetrievalConfig retrieval, SearchMode mode, int topK);
}
