package dev.spillway.retrieval.embed;

import dev.spillway.retrieval.RetrievalConfig;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/** Builds the embedder a {@link RetrievalConfig} asks for. Stateless. */
public final class Embedders {
    private Embedders() {
    }

    /** The local model (loaded now) or the gateway client. */
    public static Embedder create(RetrievalConfig config) {
        return switch (config.embedder()) {
            case LOCAL -> LocalEmbedder.load(config.localModel(), config.modelCacheDir(),
                    executor(config.embedThreads()), config.embedMaxTokens());
            case GATEWAY -> new GatewayEmbedder(config.gateway().orElseThrow());
        };
    }

    /** Runs model calls on the caller's thread for 1, else on that many daemon threads. */
    static Executor executor(int threads) {
        if (threads == 1) return Runnable::run;
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "spillway-embed");
            t.setDaemon(true);
            return t;
        });
    }
}
