package dev.spillway.simulator.chat;

import dev.spillway.simulator.tokens.TokenCounter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Deterministic readable filler text. Every piece it yields is exactly one token of the model's
 * tokenizer (the word list is filtered at construction), so an answer of N pieces reports N
 * completion tokens and a stream holds one piece in memory at a time. Thread-safe; one per model.
 */
final class TextGenerator {
    private static final String ONE_WORD_ANSWER = "Yes";

    private final String[] plain;
    private final String[] spaced;
    private final String[] capital;
    private final String[] spacedCapital;

    TextGenerator(TokenCounter counter) {
        List<String> kept = new ArrayList<>();
        for (String w : wordList()) {
            String capital = Character.toUpperCase(w.charAt(0)) + w.substring(1);
            if (counter.count(" " + w) == 1 && counter.count(" " + capital) == 1 && counter.count(capital) == 1) {
                kept.add(w);
            }
        }
        if (kept.size() < 20) throw new IllegalStateException("too few single-token words for this tokenizer");
        this.plain = kept.toArray(String[]::new);
        this.spaced = kept.stream().map(w -> " " + w).toArray(String[]::new);
        this.capital = kept.stream().map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1)).toArray(String[]::new);
        this.spacedCapital = kept.stream().map(w -> " " + Character.toUpperCase(w.charAt(0)) + w.substring(1))
                .toArray(String[]::new);
    }

    /**
     * The pieces of an answer of {@code tokens} tokens drawn from {@code seed}; when {@code complete},
     * the last piece is a full stop, as an answer that ended naturally.
     */
    Iterator<String> pieces(long seed, int tokens, boolean complete) {
        return new Pieces(new SplittableRandom(seed), tokens, complete);
    }

    private final class Pieces implements Iterator<String> {
        private final SplittableRandom random;
        private final int total;
        private final boolean complete;
        private int emitted;
        private int leftInSentence;

        Pieces(SplittableRandom random, int total, boolean complete) {
            this.random = random;
            this.total = total;
            this.complete = complete;
        }

        @Override
        public boolean hasNext() {
            return emitted < total;
        }

        @Override
        public String next() {
            if (!hasNext()) throw new NoSuchElementException();
            emitted++;
            if (total == 1 && complete) return ONE_WORD_ANSWER;
            if (complete && emitted == total) return ".";
            if (leftInSentence == 0 && emitted > 1 && !(complete && emitted == total - 1)) {
                leftInSentence = -1;
                return ".";
            }
            boolean sentenceStart = leftInSentence <= 0;
            if (sentenceStart) leftInSentence = 6 + random.nextInt(9);
            leftInSentence--;
            int i = random.nextInt(plain.length);
            if (sentenceStart) return emitted == 1 ? capital[i] : spacedCapital[i];
            return emitted == 1 ? plain[i] : spaced[i];
        }
    }

    private static List<String> wordList() {
        try (InputStream in = TextGenerator.class.getResourceAsStream("/dev/spillway/simulator/words.txt")) {
            if (in == null) throw new IllegalStateException("words.txt missing from the simulator jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
