package dev.spillway.simulator.tokens;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.util.Locale;

/**
 * Counts tokens the way the model's tokenizer does (jtokkit): {@code o200k_base} for the gpt-4o,
 * gpt-4.1, gpt-5 and o-series families, {@code cl100k_base} for older models and embeddings.
 * Special-token text is counted as ordinary text, so user input never throws. Counts of longer
 * texts are cached (bounded), since system prompts and sources repeat across requests and
 * tokenizing is the simulator's largest per-request cost. Thread-safe.
 */
public final class TokenCounter {
    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
    private static final int CACHED_FROM_CHARS = 64;
    private static final long CACHE_CHARS = 32L * 1024 * 1024;

    private final Encoding encoding;
    private final Cache<String, Integer> counts = Caffeine.newBuilder()
            .maximumWeight(CACHE_CHARS).weigher((String text, Integer n) -> text.length()).build();

    private TokenCounter(Encoding encoding) {
        this.encoding = encoding;
    }

    /** The counter for {@code model} (a model name such as {@code gpt-4o-2024-11-20}). */
    public static TokenCounter forModel(String model) {
        return new TokenCounter(REGISTRY.getEncoding(encodingOf(model)));
    }

    /** Whether {@code model} uses {@code o200k_base} (which changes the tool-definition overhead). */
    public static boolean isO200k(String model) {
        return encodingOf(model) == EncodingType.O200K_BASE;
    }

    static EncodingType encodingOf(String model) {
        String m = model.toLowerCase(Locale.ROOT);
        boolean o200k = m.startsWith("gpt-4o") || m.startsWith("gpt-4.1") || m.startsWith("gpt-4.5")
                || m.startsWith("gpt-5") || m.startsWith("chatgpt-4o") || m.matches("o\\d.*");
        return o200k ? EncodingType.O200K_BASE : EncodingType.CL100K_BASE;
    }

    public int count(String text) {
        if (text.length() < CACHED_FROM_CHARS) return text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
        return counts.get(text, encoding::countTokensOrdinary);
    }

    /** The longest prefix of {@code text} that fits in {@code maxTokens} tokens. */
    public String truncate(String text, int maxTokens) {
        IntArrayList tokens = encoding.encodeOrdinary(text);
        if (tokens.size() <= maxTokens) return text;
        IntArrayList prefix = new IntArrayList(maxTokens);
        for (int i = 0; i < maxTokens; i++) prefix.add(tokens.get(i));
        return encoding.decode(prefix);
    }
}
