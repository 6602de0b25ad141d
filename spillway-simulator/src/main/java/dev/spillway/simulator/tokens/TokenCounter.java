package dev.spillway.simulator.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.util.Locale;

/**
 * Counts tokens the way the model's tokenizer does (jtokkit): {@code o200k_base} for the gpt-4o,
 * gpt-4.1, gpt-5 and o-series families, {@code cl100k_base} for older models and embeddings.
 * Special-token text is counted as ordinary text, so user input never throws. Thread-safe.
 */
public final class TokenCounter {
    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

    private final Encoding encoding;

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
        return text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
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
