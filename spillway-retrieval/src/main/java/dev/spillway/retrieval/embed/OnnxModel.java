package dev.spillway.retrieval.embed;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.spillway.core.wire.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Executor;

/**
 * A {@link LocalModel} from its LangChain4j jar, with the tokenizer's truncation set to
 * {@code maxTokens}. The MiniLM jar's {@code tokenizer.json} truncates at 128 tokens (the model was
 * trained at 256), the bge jar's not at all (LangChain4j then averages 510-token parts).
 * Thread-safe; heavy (ONNX session), so one per process.
 */
final class OnnxModel extends AbstractInProcessEmbeddingModel {
    private final OnnxBertBiEncoder encoder;

    OnnxModel(LocalModel model, Executor executor, int maxTokens) {
        super(executor);
        try (InputStream onnx = resource(model, model.onnxResource());
             InputStream tokenizer = resource(model, model.tokenizerResource())) {
            ObjectNode json = (ObjectNode) Json.MAPPER.readTree(tokenizer);
            json.set("truncation", Json.MAPPER.createObjectNode().put("direction", "Right")
                    .put("max_length", maxTokens).put("strategy", "LongestFirst").put("stride", 0));
            byte[] patched = Json.MAPPER.writeValueAsBytes(json);
            this.encoder = new OnnxBertBiEncoder(onnx, new ByteArrayInputStream(patched), model.pooling());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the " + model.id() + " model from its jar", e);
        }
    }

    private static InputStream resource(LocalModel model, String name) throws IOException {
        InputStream in = OnnxModel.class.getResourceAsStream(name);
        if (in == null) throw new IOException(name + " is not on the class path (" + model.artifact() + ")");
        return in;
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return encoder;
    }

    @Override
    protected Integer knownDimension() {
        return LocalModel.DIMENSIONS;
    }
}
