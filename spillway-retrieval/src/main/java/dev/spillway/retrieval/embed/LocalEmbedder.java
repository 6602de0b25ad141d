package dev.spillway.retrieval.embed;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The in-process embedder: a {@link LocalModel} run by ONNX Runtime from the model inside its
 * LangChain4j jar, so it works offline. Texts are cut at {@code maxTokens} word pieces (default
 * 256); queries get the model's instruction prefix. Thread-safe; load once per process (about
 * 0.3-3 s).
 */
public final class LocalEmbedder implements Embedder {
    private final LocalModel local;
    private final OnnxModel model;
    private final int maxTokens;

    private LocalEmbedder(LocalModel local, OnnxModel model, int maxTokens) {
        this.local = local;
        this.model = model;
        this.maxTokens = maxTokens;
    }

    /** Loads all-MiniLM-L6-v2 with texts cut at 256 tokens; see {@link #load(LocalModel, Path, Executor, int)}. */
    public static LocalEmbedder load(Path cacheDir, Executor executor) {
        return load(LocalModel.ALL_MINILM_L6_V2_Q, cacheDir, executor, 256);
    }

    /**
     * Loads the model. DJL unpacks its tokenizer library into a cache directory that must be
     * writable; unless {@code DJL_CACHE_DIR} is already set, it goes under {@code cacheDir}.
     * {@code executor} runs the per-text model calls (a direct executor keeps it on one thread).
     */
    public static LocalEmbedder load(LocalModel local, Path cacheDir, Executor executor, int maxTokens) {
        if (maxTokens < 16 || maxTokens > 512) {
            throw new IllegalArgumentException("max-tokens: must be 16-512, was " + maxTokens);
        }
        if (System.getenv("DJL_CACHE_DIR") == null && System.getProperty("DJL_CACHE_DIR") == null) {
            try {
                Files.createDirectories(cacheDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create model cache dir " + cacheDir, e);
            }
            System.setProperty("DJL_CACHE_DIR", cacheDir.toAbsolutePath().toString());
        }
        // DJL otherwise probes the EC2 metadata endpoint on load; we want no network at all.
        if (System.getenv("OPT_OUT_TRACKING") == null) System.setProperty("OPT_OUT_TRACKING", "true");
        return new LocalEmbedder(local, new OnnxModel(local, executor, maxTokens), maxTokens);
    }

    /** E.g. {@code all-minilm-l6-v2-q@256}: the cut changes the vectors, so it is part of the id. */
    @Override
    public String modelId() {
        return local.id() + "@" + maxTokens;
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

    @Override
    public float[] embedQuery(String query) {
        return embedPassages(List.of(local.queryInstruction() + query)).getFirst();
    }
}
