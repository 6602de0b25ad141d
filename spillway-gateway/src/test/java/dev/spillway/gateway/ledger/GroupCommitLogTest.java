package dev.spillway.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The group-commit log alone: where its committed position ends, across groups and segments. */
class GroupCommitLogTest {
    @TempDir
    Path dir;

    private static GroupCommitLog<String> log(Path dir, long segmentSize) {
        return new GroupCommitLog<>(dir, "test", segmentSize, 1 << 20, 64, false, Duration.ZERO,
                s -> s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theCommittedPositionIsTheEndOfEveryLineWrittenToTheSegment() throws Exception {
        try (GroupCommitLog<String> log = log(dir, 1 << 20)) {
            for (String line : new String[] {"one", "two-two", "three"}) {
                log.append(line).get();
                GroupCommitLog.Position at = log.committed();
                assertThat(at.offset()).isEqualTo(Files.size(log.segmentPath(at.segment())));
            }
            assertThat(Files.readString(log.segmentPath(log.committed().segment())))
                    .isEqualTo("one\ntwo-two\nthree\n");
        }
    }

    @Test
    void aFullSegmentIsFollowedByANewOneWhosePositionStartsAtZero() throws Exception {
        try (GroupCommitLog<String> log = log(dir, 10)) {
            long first = log.committed().segment();
            log.append("0123456789").get(); // fills the segment: the writer rolls after completing it
            log.append("abc").get();
            assertThat(log.committed()).isEqualTo(new GroupCommitLog.Position(first + 1, 4));
            assertThat(Files.readString(log.segmentPath(first))).isEqualTo("0123456789\n");
            assertThat(Files.readString(log.segmentPath(first + 1))).isEqualTo("abc\n");
        }
    }
}
