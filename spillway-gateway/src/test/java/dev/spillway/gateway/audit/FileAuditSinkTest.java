package dev.spillway.gateway.audit;

import dev.spillway.gateway.ledger.Durability;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.config.DataSize;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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
                DataSize.ofKibibytes(4), true, Duration.ofMillis(5), Durability.STRICT, AuditProtection.NONE);
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
        JsonNode record = AuditReader.find(dir, "r1").orElseThrow();
        assertThat(new String(AuditReader.body(dir, record, "request_body").orElseThrow(), StandardCharsets.UTF_8))
                .isEqualTo("{\"content\":\"my key [REDACTED:api-key] and [REDACTED:email]\"}");
        assertThat(new String(AuditReader.body(dir, record, "response_body").orElseThrow(), StandardCharsets.UTF_8))
                .isEqualTo("data: {\"delta\":\"ok\"}\n\n");
        assertThat(record.path("request_body").path("file").asText()).isEqualTo("bodies/2026-11-01/segment-000001.bodies");
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
        assertThat(Files.exists(dir.resolve("bodies/" + old.atZone(ZoneOffset.UTC).toLocalDate()))).isFalse();
        JsonNode kept = AuditReader.find(dir, "req-" + T0.getEpochSecond() + "-2").orElseThrow();
        assertThat(new String(AuditReader.body(dir, kept, "request_body").orElseThrow(), StandardCharsets.UTF_8))
                .isEqualTo("{\"content\":\"hello 2\"}");
    }

    @Test
    void manyBodiesShareASegmentAndALargeOneGetsItsOwnFile() throws Exception {
        String large = "y".repeat(FileBodyCapture.SPILL + 10);
        try (FileAuditSink sink = new FileAuditSink(config(DataSize.ofMebibytes(4), DataSize.ofMebibytes(8)))) {
            writeRecords(sink, 20, T0);
            BodyRef big = capture(sink, "big", "response", large, 64 * 1024);
            assertThat(big.file()).isEqualTo("bodies/2026-11-01/big.response");
            assertThat(big.offset()).isEqualTo(-1);
            sink.write(record("big", T0, Optional.empty(), Optional.of(big))).toCompletableFuture().join();
        }
        try (var files = Files.list(dir.resolve("bodies/2026-11-01"))) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
                    .containsExactly("big.response", "segment-000001.bodies");
        }
        JsonNode tenth = AuditReader.find(dir, "req-" + T0.getEpochSecond() + "-9").orElseThrow();
        assertThat(tenth.path("request_body").path("offset").asLong()).isPositive();
        assertThat(new String(AuditReader.body(dir, tenth, "request_body").orElseThrow(), StandardCharsets.UTF_8))
                .isEqualTo("{\"content\":\"hello 9\"}");
        assertThat(AuditReader.body(dir, AuditReader.find(dir, "big").orElseThrow(), "response_body").orElseThrow())
                .hasSize(large.length());
        assertThat(AuditVerifier.verify(dir).problems()).isEmpty();
    }

    @Test
    void aRestartStartsANewSegmentAndBodiesQueuedAtCloseAreKept() throws Exception {
        List<java.util.concurrent.CompletableFuture<BodyRef>> pending = new ArrayList<>();
        try (FileAuditSink sink = new FileAuditSink(config())) {
            writeRecords(sink, 2, T0);
            for (int i = 0; i < 50; i++) {
                BodyCapture c = sink.startBody("late-" + i, "request", T0);
                c.write(("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
                pending.add(c.finish().toCompletableFuture());
            }
        }
        assertThat(pending).allSatisfy(f -> assertThat(f).isCompleted());
        BodyRef last = pending.getLast().join();
        assertThat(last.incomplete()).isFalse();
        try (FileAuditSink sink = new FileAuditSink(config())) {
            writeRecords(sink, 1, T0.plusSeconds(5));
        }
        JsonNode after = AuditReader.find(dir, "req-" + T0.plusSeconds(5).getEpochSecond() + "-0").orElseThrow();
        assertThat(after.path("request_body").path("file").asText()).endsWith("segment-000002.bodies");
        assertThat(AuditVerifier.verify(dir).problems()).isEmpty();
    }
}
