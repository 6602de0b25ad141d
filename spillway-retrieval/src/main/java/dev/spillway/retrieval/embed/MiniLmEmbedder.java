package dev.spillway.retrieval.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The in-process default: all-MiniLM-L6-v2 quantized to int8, run by ONNX Runtime from the model
 * inside the LangChain4j jar, so it works offline. 384 dimensions. Texts are cut to
 * {@code maxTokens} word pieces first, as sentence-transformers does (the model was trained on
 * 256); without the cut LangChain4j would embed up to 510 tokens and average longer texts'
 * parts. Thread-safe; load once per process (about 0.3-3 s).
 */
public final class MiniLmEmbedder implements Embedder {
    public static final String MODEL_ID = "all-minilm-l6-v2-q";
    public static final int DIMENSIONS = 384;
    /** LangChain4j's own window: the cut is then a no-op and long texts are averaged in parts. */
    public static final int NO_CUT = 510;

    private final AllMiniLmL6V2QuantizedEmbeddingModel model;
    private final HuggingFaceTokenizer tokenizer;
    private final int maxTokens;

    private MiniLmEmbedder(AllMiniLmL6V2QuantizedEmbeddingModel model, HuggingFaceTokenizer tokenizer, int maxTokens) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.maxTokens = maxTokens;
    }

    /** Loads the model with texts cut at 256 tokens; see {@link #load(Path, Executor, int)}. */
    public static MiniLmEmbedder load(Path cacheDir, Executor executor) {
        return load(cacheDir, executor, 256);
    }

    /**
     * Loads the model. DJL unpacks its tokenizer library into a cache directory that must be
     * writable; unless {@code DJL_CACHE_DIR} is already set, it goes under {@code cacheDir}.
     * {@code executor} runs the per-text model calls (a direct executor keeps it on one thread).
     */
    public static MiniLmEmbedder load(Path cacheDir, Executor executor, int maxTokens) {
        if (maxTokens < 16 || maxTokens > NO_CUT) {
            throw new IllegalArgumentException("embed-max-tokens: must be 16-" + NO_CUT + ", was " + maxTokens);
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
        try (InputStream json = MiniLmEmbedder.class.getResourceAsStream("/all-minilm-l6-v2-q-tokenizer.json")) {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(json,
                    Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
            return new MiniLmEmbedder(new AllMiniLmL6V2QuantizedEmbeddingModel(executor), tokenizer, maxTokens);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the MiniLM tokenizer from the model jar", e);
        }
    }

    @Override
    public String modelId() {
        return maxTokens == NO_CUT ? MODEL_ID : MODEL_ID + "@" + maxTokens;
    }

    @Override
    public List<float[]> embedPassages(List<String> texts) {
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String t : texts) segments.add(TextSegment.from(t.isBlank() ? "." : cut(t)));
        List<Embedding> out = model.embedAll(segments).content();
        List<float[]> vectors = new ArrayList<>(out.size());
        for (Embedding e : out) vectors.add(Vectors.normalize(e.vector()));
        return vectors;
    }

    /** The text up to its {@code maxTokens}-th word piece ([CLS] and [SEP] take the other two). */
    String cut(String text) {
        if (maxTokens == NO_CUT || text.length() < maxTokens) return text;
        Encoding encoding = tokenizer.encode(text);
        CharSpan[] spans = encoding.getCharTokenSpans();
        int limit = maxTokens - 2;
        if (spans.length <= limit || spans[limit - 1] == null) return text;
        return text.substring(0, spans[limit - 1].getEnd());
    }
}
