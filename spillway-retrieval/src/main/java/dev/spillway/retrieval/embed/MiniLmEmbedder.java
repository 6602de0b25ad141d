package dev.spillway.retrieval.embed;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The in-process default: all-MiniLM-L6-v2 quantized to int8, run by ONNX Runtime from the model
 * inside the LangChain4j jar, so it works offline. 384 dimensions; texts longer than the model's
 * 510-token window are embedded in parts and averaged by LangChain4j, which is why the chunker
 * keeps chunks short. Thread-safe; load once per process (about 0.3-3 s).
 */
public final class MiniLmEmbedder implements Embedder {
    public static final String MODEL_ID = "all-minilm-l6-v2-q";
    public static final int DIMENSIONS = 384;

    private final AllMiniLmL6V2QuantizedEmbeddingModel model;

    private MiniLmEmbedder(AllMiniLmL6V2QuantizedEmbeddingModel model) {
        this.model = model;
    }

    /**
     * Loads the model. DJL unpacks its tokenizer library into a cache directory that must be
     * writable; unless {@code DJL_CACHE_DIR} is already set, it goes under {@code cacheDir}.
     * {@code executor} runs the per-text model calls (a direct executor keeps it on one thread).
     */
    public static MiniLmEmbedder load(Path cacheDir, Executor executor) {
        if (System.getenv("DJL_CACHE_DIR") == null && System.getProperty("DJL_CACHE_DIR") == null) {
            try {
                Files.createDirectories(cacheDir);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot create model cache dir " + cacheDir, e);
            }
            System.setProperty("DJL_CACHE_DIR", cacheDir.toAbsolutePath().toString());
        }
        // DJL otherwise probes the EC2 metadata endpoint on load; we want no network at all.
        if (System.getenv("OPT_OUT_TRACKING") == null) System.setProperty("OPT_OUT_TRACKING", "true");
        return new MiniLmEmbedder(new AllMiniLmL6V2QuantizedEmbeddingModel(executor));
    }

    @Override
    public String modelId() {
        return MODEL_ID;
    }

    @Override
    public List<float[]> embedPassages(List<String> texts) {
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String t : texts) segments.add(TextSegment.from(t.isBlank() ? "." : t));
        List<Embedding> out = model.embedAll(segments).content();
        List<float[]> vectors = new ArrayList<>(out.size());
        for (Embedding e : out) vectors.add(Vectors.normalize(e.vector()));
        return vectors;
    }
}
