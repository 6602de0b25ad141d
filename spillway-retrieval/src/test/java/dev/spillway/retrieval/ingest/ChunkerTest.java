package dev.spillway.retrieval.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChunkerTest {
    private static String sentences(int count) {
        return String.join(" ", IntStream.rangeClosed(1, count)
                .mapToObj(i -> "Sentence number " + i + " says something about topic " + i + ".").toList());
    }

    @Test
    void chunksStayWithinSizeAndEndAtSentences() {
        List<Chunker.Chunk> chunks = new Chunker(200, 50).chunk(List.of(new Passage(0, "", sentences(30))));
        assertThat(chunks).hasSizeGreaterThan(5);
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.text().length()).isLessThanOrEqualTo(200);
            assertThat(c.text()).startsWith("Sentence number").endsWith(".");
        });
    }

    @Test
    void eachChunkStartsWithTheLastSentenceOfThePrevious() {
        List<Chunker.Chunk> chunks = new Chunker(200, 60).chunk(List.of(new Passage(0, "", sentences(12))));
        for (int i = 1; i < chunks.size(); i++) {
            String previous = chunks.get(i - 1).text();
            String lastSentence = previous.substring(previous.lastIndexOf("Sentence number"));
            assertThat(chunks.get(i).text()).startsWith(lastSentence);
        }
    }

    @Test
    void everySentenceAppearsInSomeChunk() {
        List<Chunker.Chunk> chunks = new Chunker(200, 0).chunk(List.of(new Passage(0, "", sentences(20))));
        String all = String.join(" ", chunks.stream().map(Chunker.Chunk::text).toList());
        assertThat(all).isEqualTo(sentences(20));
    }

    @Test
    void chunksNeverCrossPagesOrSections() {
        List<Chunker.Chunk> chunks = new Chunker(1000, 100).chunk(List.of(
                new Passage(1, "", "First page text."), new Passage(2, "", "Second page text."),
                new Passage(0, "Setup", "Install it."), new Passage(0, "Usage", "Run it.")));
        assertThat(chunks).extracting(Chunker.Chunk::text)
                .containsExactly("First page text.", "Second page text.", "Install it.", "Run it.");
        assertThat(chunks).extracting(Chunker.Chunk::page).containsExactly(1, 2, 0, 0);
        assertThat(chunks).extracting(Chunker.Chunk::section).containsExactly("", "", "Setup", "Usage");
    }

    @Test
    void aSentenceLongerThanAChunkIsCutAtWhitespace() {
        String longSentence = "word ".repeat(100).strip();
        List<Chunker.Chunk> chunks = new Chunker(100, 0).chunk(List.of(new Passage(0, "", longSentence)));
        assertThat(chunks).hasSizeGreaterThan(4).allSatisfy(c -> {
            assertThat(c.text().length()).isLessThanOrEqualTo(100);
            assertThat(c.text()).doesNotStartWith(" ").matches("(word ?)+");
        });
    }

    @Test
    void blankPassagesGiveNoChunks() {
        assertThat(new Chunker(200, 20).chunk(List.of(new Passage(1, "", "  \n "))) ).isEmpty();
    }

    @Test
    void overlapLargerThanHalfTheSizeIsRejected() {
        assertThatThrownBy(() -> new Chunker(200, 150)).hasMessageStartingWith("chunk-overlap:");
    }
}
