package dev.spillway.gateway.cache.semantic;

import java.nio.file.Path;

/** Offers the {@link WordEmbedder} as the model {@code words-64} to gateways started in tests. */
public final class WordEmbedderProvider implements TextEmbedderProvider {
    @Override
    public boolean provides(String model) {
        return model.equals("words-64");
    }

    @Override
    public TextEmbedder open(String model, Path dataDir) {
        return new WordEmbedder();
    }
}
