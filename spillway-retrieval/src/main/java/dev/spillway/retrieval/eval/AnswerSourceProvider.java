package dev.spillway.retrieval.eval;

import dev.spillway.core.config.ConfigNode;

/**
 * Found by {@link java.util.ServiceLoader} so {@code spillway eval answers --answerer NAME} can use
 * an answer source from another module (the chat orchestrator) without this module depending on
 * it. Register in {@code META-INF/services/dev.spillway.retrieval.eval.AnswerSourceProvider}.
 */
public interface AnswerSourceProvider {
    /** The {@code --answerer} value that selects this provider, e.g. {@code chat}. */
    String name();

    /** Builds the answer source from the whole config file's root node. */
    AnswerSource open(ConfigNode root);
}
