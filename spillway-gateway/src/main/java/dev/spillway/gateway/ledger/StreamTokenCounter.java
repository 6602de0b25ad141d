package dev.spillway.gateway.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.pipeline.Usage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Meters a streamed (SSE) completion as it passes, for the case DESIGN non-negotiable 3 names:
 * the stream ends without a usage chunk (cut short, client gone). Each {@code data:} event's
 * generated text ({@code delta.content}, {@code delta.reasoning_content}, tool-call arguments,
 * legacy {@code text}, the Responses API's {@code *.delta} events) is collected as it arrives and
 * counted with jtokkit o200k_base in batches of {@link #COUNT_BATCH} characters, or when the count
 * is asked for, so memory stays bounded by one batch and one unfinished SSE line. A usage object in
 * the stream wins over the count, so a stream that reports one (the usual case: the gateway asks
 * for it) drops its uncounted text there and is mostly never counted.
 *
 * <p>Implementation notes. This runs on the event loop for every frame of every stream, so its cost
 * is per relayed token: complete lines are parsed straight from the chunk's bytes, only an
 * unfinished trailing line is copied, and the tokenizer runs once per batch rather than once per
 * delta (counting delta by delta cost more than the rest of the relay together; a batch is also
 * counted as the backend counts it, as one text, except at batch boundaries). One per streamed
 * response; not thread-safe (feed it from the response's event loop).
 */
public final class StreamTokenCounter {
    /** Set once the first counter has started loading the tokenizer in the background. */
    private static final AtomicBoolean LOADING = new AtomicBoolean();
    private static final int MAX_LINE = 1 << 20;
    /** Generated text is counted once this many characters have gathered (about 1,000 tokens). */
    static final int COUNT_BATCH = 4096;
    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);

    /** The unfinished line of the previous chunk, if any. */
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final StringBuilder uncounted = new StringBuilder();
    private boolean lineTooLong;
    private long completionTokens;
    private Optional<MeteredUsage> reported = Optional.empty();

    /** The first counter of the process starts loading the tokenizer on a thread of its own. */
    public StreamTokenCounter() {
        if (!LOADING.getAndSet(true)) {
            Thread.ofPlatform().name("spillway-tokenizer-load").daemon().start(O200k::load);
        }
    }

    /**
     * o200k_base, loaded on first use: its 200,000 ranks take 1-4 s of CPU to load, which used to
     * stall the event loop at the gateway's first stream (Vert.x logged it blocked for 2.3 s), as
     * the encoding was a static field of this class. Now the first stream starts the load on its
     * own thread; a count that comes before it ends waits for it, as every count did before.
     */
    private static final class O200k {
        static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

        static void load() {
            ENCODING.getName();
        }
    }

    /** Feeds the next bytes of the SSE body exactly as they pass to the client. */
    public void onChunk(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int from = offset;
        for (int nl = indexOfNewline(bytes, from, end); nl >= 0; nl = indexOfNewline(bytes, from, end)) {
            if (line.size() == 0 && !lineTooLong) {
                onLine(bytes, from, nl);
            } else {
                append(bytes, from, nl);
                if (!lineTooLong) onLine(line.toByteArray(), 0, line.size());
                line.reset();
                lineTooLong = false;
            }
            from = nl + 1;
        }
        append(bytes, from, end);
    }

    private static int indexOfNewline(byte[] bytes, int from, int end) {
        for (int i = from; i < end; i++) if (bytes[i] == '\n') return i;
        return -1;
    }

    /** Holds part of an unfinished line, up to {@link #MAX_LINE} bytes. */
    private void append(byte[] bytes, int from, int to) {
        int room = MAX_LINE - line.size();
        if (to - from > room) lineTooLong = true;
        line.write(bytes, from, Math.min(to - from, room));
    }

    public void onChunk(byte[] bytes) {
        onChunk(bytes, 0, bytes.length);
    }

    /** Completion tokens counted from the deltas seen so far. */
    public long countedCompletionTokens() {
        countUncounted();
        return completionTokens;
    }

    public Optional<MeteredUsage> reportedUsage() {
        return reported;
    }

    /** What to charge: the reported usage if any arrived, else the counted completion plus {@code promptTokens}. */
    public MeteredUsage usage(long promptTokens) {
        return reported.orElseGet(() -> new MeteredUsage(promptTokens, countedCompletionTokens(), 0, 0, true));
    }

    /** Counts a string with the o200k_base encoding (no special tokens). */
    public static long count(String text) {
        return O200k.ENCODING.countTokensOrdinary(text);
    }

    /**
     * Estimates a chat request's prompt tokens from its {@code messages} (text content only,
     * plus the ~3 framing tokens per message OpenAI documents), or {@code prompt} for completions.
     */
    public static long countPrompt(JsonNode body) {
        long tokens = 3;
        for (JsonNode m : body.path("messages")) {
            tokens += 3 + count(m.path("role").asText(""));
            JsonNode content = m.path("content");
            if (content.isTextual()) tokens += count(content.asText());
            for (JsonNode part : content.isArray() ? content : Json.MAPPER.createArrayNode()) {
                if (part.path("text").isTextual()) tokens += count(part.path("text").asText());
            }
        }
        if (body.path("prompt").isTextual()) tokens += count(body.path("prompt").asText());
        tokens += countResponsesInput(body);
        return tokens;
    }

    /** The Responses API's {@code instructions} and {@code input} (a string, or items with text content). */
    private static long countResponsesInput(JsonNode body) {
        long tokens = body.path("instructions").isTextual() ? count(body.path("instructions").asText()) : 0;
        JsonNode input = body.path("input");
        if (input.isTextual()) return tokens + count(input.asText());
        for (JsonNode item : input) {
            JsonNode content = item.path("content");
            if (content.isTextual()) tokens += 3 + count(content.asText());
            for (JsonNode part : content.isArray() ? content : Json.MAPPER.createArrayNode()) {
                if (part.path("text").isTextual()) tokens += count(part.path("text").asText());
            }
            if (item.path("output").isTextual()) tokens += count(item.path("output").asText());
        }
        return tokens;
    }

    /** One line, {@code bytes[from, to)} without its newline. */
    private void onLine(byte[] bytes, int from, int to) {
        if (to - from < DATA.length || !java.util.Arrays.equals(bytes, from, from + DATA.length, DATA, 0, DATA.length)) {
            return;
        }
        int start = from + DATA.length;
        while (start < to && bytes[start] == ' ') start++;
        // Not JSON ([DONE], an error text, a blank data line): nothing to count.
        if (start == to || bytes[start] != '{') return;
        try {
            Optional<JsonNode> usage = StreamEvent.read(bytes, start, to - start, this::add);
            if (usage.isPresent()) {
                reported = Optional.of(usage(usage.get()));
                uncounted.setLength(0);
            }
        } catch (IOException e) {
            // not JSON (an error event or a provider quirk): nothing to count
        }
    }

    private void add(String text) {
        if (reported.isPresent()) return;
        uncounted.append(text);
        if (uncounted.length() >= COUNT_BATCH) countUncounted();
    }

    private void countUncounted() {
        if (uncounted.isEmpty()) return;
        completionTokens += count(uncounted.toString());
        uncounted.setLength(0);
    }

    private static MeteredUsage usage(JsonNode u) {
        Usage r = Usage.reported(u);
        return new MeteredUsage(r.promptTokens(), r.completionTokens(), r.cachedTokens(), r.reasoningTokens(), false);
    }
}
