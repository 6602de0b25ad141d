package dev.spillway.retrieval.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.retrieval.testing.HashingEmbedder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachingEmbedderTest {
    @TempDir
    Path dir;

    @Test
    void aSecondRunEmbedsNothingItHasSeen() {
        HashingEmbedder model = new HashingEmbedder();
        List<float[]> first;
        try (CachingEmbedder cache = CachingEmbedder.open(model, dir.resolve("v.bin"))) {
            first = cache.embedPassages(List.of("alpha", "beta", "alpha"));
            cache.embedQuery("gamma");
        }
        assertThat(model.embedded.get()).isEqualTo(3);
        try (CachingEmbedder cache = CachingEmbedder.open(model, dir.resolve("v.bin"))) {
            assertThat(cache.size()).isEqualTo(3);
            List<float[]> again = cache.embedPassages(List.of("alpha", "beta", "delta"));
            assertThat(again.get(0)).containsExactly(first.get(0));
            assertThat(again.get(1)).containsExactly(first.get(1));
            cache.embedQuery("gamma");
        }
        assertThat(model.embedded.get()).isEqualTo(4);
    }

    @Test
    void aPartialLastRecordIsDroppedAndLaterRecordsStayReadable() throws java.io.IOException {
        HashingEmbedder model = new HashingEmbedder();
        Path file = dir.resolve("v.bin");
        try (CachingEmbedder cache = CachingEmbedder.open(model, file)) {
            cache.embedPassages(List.of("alpha", "beta"));
        }
        long size = java.nio.file.Files.size(file);
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(size - 10); // as if killed while writing "beta"
        }
        try (CachingEmbedder cache = CachingEmbedder.open(model, file)) {
            assertThat(cache.size()).isEqualTo(1);
            cache.embedPassages(List.of("gamma"));
        }
        try (CachingEmbedder cache = CachingEmbedder.open(model, file)) {
            assertThat(cache.size()).isEqualTo(2);
        }
    }

    @Test
    void anotherModelDoesNotReuseTheVectors() {
        try (CachingEmbedder cache = CachingEmbedder.open(new HashingEmbedder("m1"), dir.resolve("v.bin"))) {
            cache.embedPassages(List.of("alpha"));
        }
        HashingEmbedder other = new HashingEmbedder("m2");
        try (CachingEmbedder cache = CachingEmbedder.open(other, dir.resolve("v.bin"))) {
            cache.embedPassages(List.of("alpha"));
        }
        assertThat(other.embedded.get()).isEqualTo(1);
    }
}
