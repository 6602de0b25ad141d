package dev.spillway.retrieval.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Cuts passages into chunks of at most {@code size} characters that end at sentence boundaries,
 * each starting with the last sentences (up to {@code overlap} characters) of the one before.
 * Chunks never cross a page or heading, so each keeps one citation. A sentence longer than a
 * chunk is cut at whitespace. 1,000 characters of English is about 200-250 MiniLM tokens, under
 * the 256 the model was trained on. Stateless and thread-safe.
 */
public final class Chunker {
    // A sentence ends at . ! ? followed by whitespace, or at a blank line / line break.
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+|\\s*\\n\\s*\\n\\s*|(?<=[:;])\\s*\\n\\s*");

    /** One chunk of a document, before embedding. Immutable. */
    public record Chunk(int page, String section, String text) {
    }

    private final int size;
    private final int overlap;

    public Chunker(int size, int overlap) {
        if (size < 50) throw new IllegalArgumentException("chunk-size: must be >= 50, was " + size);
        if (overlap < 0 || overlap > size / 2) {
            throw new IllegalArgumentException("chunk-overlap: must be 0 to half of chunk-size, was " + overlap);
        }
        this.size = size;
        this.overlap = overlap;
    }

    public List<Chunk> chunk(List<Passage> passages) {
        List<Chunk> out = new ArrayList<>();
        for (Passage p : passages) {
            for (String text : pack(sentences(p.text()))) out.add(new Chunk(p.page(), p.section(), text));
        }
        return out;
    }

    private List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        for (String s : SENTENCE_END.split(text)) {
            String clean = s.replaceAll("\\s+", " ").strip();
            if (clean.isEmpty()) continue;
            while (clean.length() > size) {
                int cut = clean.lastIndexOf(' ', size);
                if (cut < size / 2) cut = size;
                out.add(clean.substring(0, cut).strip());
                clean = clean.substring(cut).strip();
            }
            if (!clean.isEmpty()) out.add(clean);
        }
        return out;
    }

    private List<String> pack(List<String> sentences) {
        List<String> chunks = new ArrayList<>();
        List<String> current = new ArrayList<>();
        int length = 0;
        int fresh = 0; // sentences in current that are not overlap from the previous chunk
        for (String s : sentences) {
            if (fresh > 0 && length + 1 + s.length() > size) {
                chunks.add(String.join(" ", current));
                current = tail(current, s.length());
                length = joinedLength(current);
                fresh = 0;
            }
            current.add(s);
            length += (length == 0 ? 0 : 1) + s.length();
            fresh++;
        }
        if (fresh > 0) chunks.add(String.join(" ", current));
        return chunks;
    }

    /** The last sentences of {@code chunk} that fit in the overlap and leave room for {@code next}. */
    private List<String> tail(List<String> chunk, int next) {
        List<String> kept = new ArrayList<>();
        int length = 0;
        for (int i = chunk.size() - 1; i >= 0; i--) {
            int add = chunk.get(i).length() + 1;
            if (length + add > overlap || length + add + next > size) break;
            kept.addFirst(chunk.get(i));
            length += add;
        }
        return kept;
    }

    private static int joinedLength(List<String> parts) {
        return parts.isEmpty() ? 0 : parts.stream().mapToInt(String::length).sum() + parts.size() - 1;
    }
}
