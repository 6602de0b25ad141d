package dev.spillway.cli;

import dev.spillway.gateway.cache.semantic.TextEmbedder;
import dev.spillway.gateway.cache.semantic.TextEmbedderProvider;
import dev.spillway.retrieval.embed.LocalEmbedder;
import dev.spillway.retrieval.embed.LocalModel;
import java.nio.file.Path;
import java.util.List;

/**
 * Gives the gateway's semantic cache the in-process embedding models of spillway-retrieval (the
 * ones the chat app uses), by their {@code local-model} names. Questions are embedded as passages
 * (no query instruction): the cache compares a question with questions. Stateless.
 */
public final class LocalTextEmbedderProvider implements TextEmbedderProvider {
    /** Questions are short; the model's own training length is plenty. */
    private static final int MAX_TOKENS = 256;

    @Override
    public boolean provides(String model) {
        return LocalModel.byId(model).isPresent();
    }

    @Override
    public TextEmbedder open(String model, Path dataDir) {
        Path models = dataDir.resolve("models");
        OnnxNatives.useFolder(models.resolve("onnxruntime"));
        LocalEmbedder local = LocalEmbedder.load(LocalModel.byId(model).orElseThrow(), models, Runnable::run, MAX_TOKENS);
        return new TextEmbedder() {
            @Override
            public String modelId() {
                return local.modelId();
            }

            @Override
            public float[] embed(String text) {
                return local.embedPassages(List.of(text)).getFirst();
            }
        };
    }
}
