package dev.spillway.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.gateway.ledger.GroupCommitLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The audit log on local disk (shared storage when replicated): bodies streamed to files by one
 * audit thread, records appended to a SHA-256 hash chain by a group-commit writer, and a
 * retention pass that expires whole chain segments, anchoring the chain at the last removed
 * record so what remains still verifies. Thread-safe; one per gateway, closed at shutdown.
 */
public final class FileAuditSink implements AuditSink, AutoCloseable {
    private final AuditConfig config;
    private final Redactor redactor;
    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("audit-io").unstarted(r));
    /**
     * What one open capture holds besides its bytes (its redactor, digest and the pending record of
     * its request), charged to {@code max-in-flight} so that a disk slower than the traffic bounds
     * memory by skipping bodies instead of queueing captures without limit.
     */
    static final long CAPTURE_FOOTPRINT = 16 * 1024;

    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final GroupCommitLog<AuditRecord> chain;

    public FileAuditSink(AuditConfig config) {
        this.config = config;
        this.redactor = config.redactor();
        try {
            ChainFiles.Anchor head = ChainFiles.head(config.dir());
            this.chain = new GroupCommitLog<>(ChainFiles.chainDir(config.dir()), ChainFiles.PREFIX,
                    config.segmentSize().bytes(), Long.MAX_VALUE, 65_536, config.fsync(), config.commitInterval(),
                    new ChainEncoder(head.seq(), head.hash()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the audit log in " + config.dir(), e);
        }
    }

    @Override
    public BodyCapture startBody(String requestId, String direction, Instant at) {
        if (inFlight.addAndGet(CAPTURE_FOOTPRINT) > config.maxInFlight().bytes()) {
            inFlight.addAndGet(-CAPTURE_FOOTPRINT);
            skipped.incrementAndGet();
            return new SkippedBodyCapture();
        }
        String relative = "bodies/" + at.atZone(ZoneOffset.UTC).toLocalDate() + "/" + safe(requestId) + "." + direction;
        return new FileBodyCapture(config.dir().resolve(relative), relative, io, inFlight,
                config.maxInFlight().bytes(), config.maxBodySize().bytes(), redactor, config.fsync(), CAPTURE_FOOTPRINT);
    }

    @Override
    public CompletionStage<Void> write(AuditRecord record) {
        return chain.append(record);
    }

    /** Body bytes and open captures waiting for the audit thread (bounded by {@code max-in-flight}). */
    public long bytesInFlight() {
        return inFlight.get();
    }

    /** Bodies not stored at all because {@code max-in-flight} was reached when they started. */
    public long bodiesSkipped() {
        return skipped.get();
    }

    /**
     * Removes records older than the retention period, whole segments at a time (oldest first,
     * never the one being written), with their bodies; returns how many records were removed.
     * Blocking file work: run it on a worker (e.g. hourly).
     */
    public long expire(Instant now) throws IOException {
        chain.rollAfterNextCommit();
        Instant cutoff = now.minus(config.retention());
        long removed = 0;
        for (Path segment : ChainFiles.segments(config.dir())) {
            if (GroupCommitLog.segmentNumber(segment) >= chain.committed().segment()) break;
            List<String> lines = ChainFiles.read(segment).lines();
            if (!lines.isEmpty()) {
                ChainEncoder.Parsed last = ChainEncoder.parse(lines.getLast());
                if (!Instant.parse(last.content().path("at").asText()).isBefore(cutoff)) break;
                ChainFiles.writeAnchor(config.dir(), new ChainFiles.Anchor(last.content().path("seq").asLong(), last.claimed()));
                for (String line : lines) deleteBodies(ChainEncoder.parse(line).content());
            }
            chain.delete(GroupCommitLog.segmentNumber(segment));
            removed += lines.size();
        }
        deleteEmptyBodyFolders();
        return removed;
    }

    @Override
    public void close() throws InterruptedException {
        chain.close();
        io.shutdown();
        io.awaitTermination(30, TimeUnit.SECONDS);
    }

    private void deleteBodies(JsonNode record) throws IOException {
        for (String field : new String[] {"request_body", "response_body"}) {
            JsonNode file = record.path(field).path("file");
            if (file.isTextual()) Files.deleteIfExists(config.dir().resolve(file.asText()));
        }
    }

    private void deleteEmptyBodyFolders() throws IOException {
        Path bodies = config.dir().resolve("bodies");
        if (!Files.isDirectory(bodies)) return;
        try (Stream<Path> days = Files.list(bodies)) {
            for (Path day : days.toList()) {
                try (Stream<Path> files = Files.list(day)) {
                    if (files.findAny().isEmpty()) Files.delete(day);
                }
            }
        }
    }

    static String safe(String requestId) {
        return requestId.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
