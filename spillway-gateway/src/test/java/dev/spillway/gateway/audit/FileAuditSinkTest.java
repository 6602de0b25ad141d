package dev.spillway.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.DataSize;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAuditSinkTest {
    private static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");
    private static final String KEY = "sk-spw-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
    @TempDir
    Path dir;

    private AuditConfig config(DataSize maxBody, DataSize inFlight) {
        return new AuditConfig(AuditMode.FULL, Map.of(), dir, maxBody, inFlight, true, List.of(), Duration.ofDays(30),
                DataSize.ofKibibytes(4), true, Duration.ofMillis(5));
    }

    private AuditConfig config() {
        return config(DataSize.ofMebibytes(1), DataSize.ofMebibytes(1));
    }

    private static AuditRecord record(String id, Instant at, Optional<BodyRef> req, Optional<BodyRef> resp) {
        return new AuditRecord(id, at, "billing", "finance", "alice", "sk-spw-ab", "POST",
                "/openai/deployments/gpt-4o/chat/completions", "gpt-4o", 200, AuditMode.FULL, "trace", 1234, req, resp);
    }

    private static BodyRef capture(AuditSink sink, String id, String direction, String text, int chunk) {
        BodyCapture c = sink.startBody(id, direction, T0);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += chunk) {
            c.write(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + chunk)));
        }
        return c.finish().toCompletableFuture().join();
    }

    private void writeRecords(FileAuditSink sink, int n, Instant at) {
        for (int i = 0; i < n; i++) {
            String id = "req-" + at.getEpochSecond() + "-" + i;
            BodyRef body = capture(sink, id, "request", "{\"content\":\"hello " + i + "\"}", 4);
            sink.write(record(id, at, Optional.of(body), Optional.empty())).toCompletableFuture().join();
        }
    }

    @Test
    void bodiesAreStoredRedactedWithTheirHashAndTheChainVerifies() throws Exception {
        try (FileAuditSink sink = new FileAuditSink(config())) {
            BodyRef req = capture(sink, "r1", "request", "{\"content\":\"my key " + KEY + " and bob@example.com\"}", 5);
            BodyRef resp = capture(sink, "r1", "response", "data: {\"delta\":\"ok\"}\n\n", 3);
            sink.write(record("r1", T0, Optional.of(req), Optional.of(resp))).toCompletableFuture().join();
        }
        String stored = Files.readString(dir.resolve("bodies/2026-11-01/r1.request"));
        assertThat(stored).isEqualTo("{\"content\":\"my key [REDACTED:api-key] and [REDACTED:email]\"}");
        AuditVerifier.Report report = AuditVerifier.verify(dir);
        assertThat(report.problems()).isEmpty();
        assertThat(report.records()).isEqualTo(1);
        assertThat(AuditReader.find(dir, "r1").orElseThrow().path("response_body").path("bytes_seen").asLong())
                .isEqualTo(22);
    }

    @Test
    void bodyOverTheCapIsTruncatedButFullyCounted() {
        try (FileAuditSink sink = new FileAuditSink(config(DataSize.ofBytes(10), DataSize.ofMebibytes(1)))) {
            BodyRef ref = capture(sink, "big", "request", "x".repeat(5000), 700);
            assertThat(ref).extracting(BodyRef::bytesSeen, BodyRef::bytesStored, BodyRef::truncated)
                    .containsExactly(5000L, 10L, true);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void chunksPastTheInFlightBoundAreDroppedNotWaitedFor() throws Exception {
        try (FileAuditSink sink = new FileAuditSink(config(DataSize.ofMebibytes(10), DataSize.ofKibibytes(64)))) {
            BodyCapture c = sink.startBody("huge", "response", T0);
            c.write(new byte[100_000]);
            BodyRef ref = c.finish().toCompletableFuture().join();
            assertThat(ref.incomplete()).isTrue();
            assertThat(ref.bytesSeen()).isEqualTo(100_000);
            assertThat(sink.bytesInFlight()).isZero();
        }
    }

    @Test
    void bodiesStartedPastTheInFlightBoundAreSkippedAndTheChainStillVerifies() throws Exception {
        long inFlight = 64 * 1024;
        int open = (int) (inFlight / FileAuditSink.CAPTURE_FOOTPRINT);
        try (FileAuditSink sink = new FileAuditSink(config(DataSize.ofMebibytes(1), DataSize.ofBytes(inFlight)))) {
            List<BodyCapture> waiting = new java.util.ArrayList<>();
            for (int i = 0; i < open; i++) waiting.add(sink.startBody("open-" + i, "request", T0));
            BodyCapture over = sink.startBody("over", "request", T0);
            over.write("{\"content\":\"hi\"}".getBytes(StandardCharsets.UTF_8));
            BodyRef skipped = over.finish().toCompletableFuture().join();
            assertThat(skipped).extracting(BodyRef::file, BodyRef::bytesSeen, BodyRef::bytesStored, BodyRef::incomplete)
                    .containsExactly(null, 16L, 0L, true);
            assertThat(sink.bodiesSkipped()).isEqualTo(1);
            sink.write(record("over", T0, Optional.of(skipped), Optional.empty())).toCompletableFuture().join();

            for (BodyCapture c : waiting) c.finish().toCompletableFuture().join();
            assertThat(sink.bytesInFlight()).isZero();
            assertThat(capture(sink, "after", "request", "{}", 2).file()).isNotNull();
        }
        AuditVerifier.Report report = AuditVerifier.verify(dir);
        assertThat(report.problems()).isEmpty();
        assertThat(AuditReader.find(dir, "over").orElseThrow().path("request_body").path("file").isNull()).isTrue();
    }

    @Test
    void verifyFindsAnEditedRecord() throws Exception {
        try (FileAuditSink sink = new FileAuditSink(config())) {
            writeRecords(sink, 5, T0);
        }
        Path segment = ChainFiles.segments(dir).getFirst();
        Files.writeString(segment, Files.readString(segment).replaceFirst("\"status\":200", "\"status\":201"));
        assertThat(AuditVerifier.verify(dir).problems()).singleElement().asString()
                .contains("line 1").contains("hash mismatch, the record was edited");
    }

    @Test
    void verifyFindsADeletedRecord() throws Exception {
        try (FileAuditSink sink = new FileAuditSink(config())) {
            writeRecords(sink, 5, T0);
        }
        Path segment = ChainFiles.segments(dir).getFirst();
        List<String> lines = new ArrayList<>(Files.readAllLines(segment));
        lines.remove(2);
        Files.write(segment, lines);
        assertThat(AuditVerifier.verify(dir).problems()).singleElement().asString()
                .contains("line 3").contains("expected seq 3, found 4; a record was deleted");
    }

    @Test
    void verifyFindsAnEditedBodyFile() throws Exception {
        try (FileAuditSink sink = new FileAuditSink(config())) {
            writeRecords(sink, 1, T0);
        }
        Path body;
        try (var files = Files.walk(dir.resolve("bodies"))) {
            body = files.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        Files.writeString(body, "{\"content\":\"forged\"}");
        assertThat(AuditVerifier.verify(dir).problems()).singleElement().asString().contains("file was edited");
    }

    @Test
    void restartContinuesTheChain() throws Exception {
        try (FileAuditSink sink = new FileAuditSink(config())) {
            writeRecords(sink, 3, T0);
        }
        try (FileAuditSink sink = new FileAuditSink(config())) {
            writeRecords(sink, 3, T0.plusSeconds(1));
        }
        AuditVerifier.Report report = AuditVerifier.verify(dir);
        assertThat(report.problems()).isEmpty();
        assertThat(report.headSeq()).isEqualTo(6);
    }

    @Test
    void retentionExpiresOldRecordsWithTheirBodiesAndTheRestStillVerifies() throws Exception {
        Instant old = T0.minus(Duration.ofDays(40));
        try (FileAuditSink sink = new FileAuditSink(config())) {
            writeRecords(sink, 40, old);
            assertThat(sink.expire(T0)).isPositive();
            writeRecords(sink, 3, T0);
            sink.expire(T0);
            assertThat(AuditReader.find(dir, "req-" + old.getEpochSecond() + "-0")).isEmpty();
        }
        AuditVerifier.Report report = AuditVerifier.verify(dir);
        assertThat(report.problems()).isEmpty();
        assertThat(report.headSeq()).isEqualTo(43);
        assertThat(Files.exists(dir.resolve("bodies/2026-11-01"))).isTrue();
        try (var files = Files.walk(dir.resolve("bodies"))) {
            assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(report.records());
        }
    }
}
