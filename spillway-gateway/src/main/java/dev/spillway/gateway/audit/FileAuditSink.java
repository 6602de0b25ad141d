package dev.spillway.gateway.audit;

import dev.spillway.gateway.redact.Redactor;
import dev.spillway.core.limit.InFlightBudget;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.gateway.ledger.GroupCommitLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log on local disk (shared storage when replicated): bodies redacted and stored by one
 * audit thread (appended to shared per-day segment files and synced once per group, or streamed to
 * a file of their own when large), records appended to a SHA-256 hash chain by a group-commit
 * writer, and a retention pass that expires whole chain segments, anchoring the chain at the last
 * removed record so what remains still verifies. Thread-safe; one per gateway, closed at shutdown.
 */
public final class FileAuditSink implements AuditSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileAuditSink.class);
    private final AuditConfig config;
    private final Redactor redactor;
    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("audit-io").unstarted(r));
    /**
     * What one open capture holds besides its bytes (its redactor, digest and the pending record of
     * its request), charged to {@code max-in-flight} so that a disk slower than the traffic bounds
     * memory by skipping bodies instead of queueing captures without limit.
     */
    static final long CAPTURE_FOOTPRINT = 16 * 1024;

    private final InFlightBudget budget;
    private final AtomicLong skipped = new AtomicLong();
    private final GroupCommitLog<AuditRecord> chain;
    private final ChainEncoder encoder;
    /** The head last copied to the anchors; touched by the anchoring worker only (serialised). */
    private ChainFiles.Anchor anchored;
    private final BodySegments segments;
    private final FileBodyCapture.Store store;
    // audit thread only: completions waiting for the next sync of the body segments
    private final List<Runnable> awaitingSync = new ArrayList<>();
    private boolean syncQueued;

    public FileAuditSink(AuditConfig config) {
        // A key that cannot be read would fail every record (and, strict, every reply): refuse to start.
        config.protection().chainKeys().keys().forEach(AuditKey::material);
        config.protection().bodyKeys().keys().forEach(AuditKey::material);
        this.config = config;
        this.redactor = config.redactor();
        this.budget = new InFlightBudget(config.maxInFlight().bytes());
        this.segments = new BodySegments(config.dir(), config.segmentSize().bytes());
        this.store = new FileBodyCapture.Store(config.dir(), segments, this::afterSync, io, budget,
                config.maxBodySize().bytes(), config.fsync(), config.protection().bodyKeys().current());
        try {
            ChainFiles.Anchor head = ChainFiles.head(config.dir());
            this.encoder = new ChainEncoder(head.seq(), head.hash(), config.protection().chainKeys().current());
            this.chain = new GroupCommitLog<>(ChainFiles.chainDir(config.dir()), ChainFiles.PREFIX,
                    config.segmentSize().bytes(), Long.MAX_VALUE, 65_536, config.fsync(), config.commitInterval(),
                    encoder, encoder::committed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the audit log in " + config.dir(), e);
        }
    }

    @Override
    public BodyCapture startBody(String requestId, String direction, Instant at) {
        if (!budget.tryTake(CAPTURE_FOOTPRINT)) {
            skipped.incrementAndGet();
            return new SkippedBodyCapture();
        }
        LocalDate day = at.atZone(ZoneOffset.UTC).toLocalDate();
        return new FileBodyCapture(store, day, "bodies/" + day + "/" + safe(requestId) + "." + direction, redactor);
    }

    /**
     * Runs {@code completion} after the next sync of the body segments. The sync is queued behind
     * the audit thread's pending work, so every body appended before it shares its one fsync.
     * Audit thread only.
     */
    private void afterSync(Runnable completion) {
        awaitingSync.add(completion);
        if (syncQueued) return;
        syncQueued = true;
        try {
            io.execute(this::syncGroup);
        } catch (RejectedExecutionException closing) {
            syncGroup(); // the sink is closing: sync now, on this (the audit) thread
        }
    }

    private void syncGroup() {
        syncQueued = false;
        try {
            segments.sync();
        } catch (IOException e) {
            LOG.error("audit body segments: sync failed, {} bodies may not be durable: {}", awaitingSync.size(), e.toString());
        }
        List<Runnable> group = List.copyOf(awaitingSync);
        awaitingSync.clear();
        group.forEach(Runnable::run);
    }

    @Override
    public CompletionStage<Void> write(AuditRecord record) {
        return chain.append(record);
    }

    /**
     * Copies the chain's durable head to each place outside the audit directory, if it moved since
     * the last time; a place that fails is logged and tried again next time. Blocking: run it on
     * a worker, one call at a time (e.g. every {@code anchor-interval}, and at shutdown).
     */
    public synchronized void anchor(List<HeadAnchors> places, Instant now) {
        ChainFiles.Anchor head = encoder.head();
        if (head.seq() == 0 || head.equals(anchored)) return;
        boolean all = true;
        for (HeadAnchors place : places) {
            try {
                place.anchor(new AnchoredHead(head.seq(), head.hash(), now));
            } catch (Exception e) {
                all = false;
                LOG.warn("audit: could not anchor the chain head (seq {}) in {}: {}", head.seq(), place.describe(), e.toString());
            }
        }
        if (all) anchored = head;
    }

    /** Body bytes and open captures waiting for the audit thread (bounded by {@code max-in-flight}). */
    public long bytesInFlight() {
        return budget.used();
    }

    /** Bodies not stored at all because {@code max-in-flight} was reached when they started. */
    public long bodiesSkipped() {
        return skipped.get();
    }

    /**
     * Removes records older than the retention period, whole segments at a time (oldest first,
     * never the one being written), with their bodies; returns how many records were removed.
     * Bodies in their own files go with their records; a day's body segments, shared by many
     * records, go once the day is more than a day older than the cutoff (no request lasts a day,
     * and the chain rolls every pass, so no kept record points into them). Blocking file work:
     * run it on a worker (e.g. hourly).
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
        deleteBodyDaysBefore(cutoff.atZone(ZoneOffset.UTC).toLocalDate().minusDays(1));
        return removed;
    }

    /** Stores the bodies still queued, then closes the chain, so their records are written too. */
    @Override
    public void close() throws InterruptedException {
        io.execute(segments::close);
        io.shutdown();
        io.awaitTermination(30, TimeUnit.SECONDS);
        chain.close();
    }

    /** Deletes the record's bodies that have files of their own (not those inside a shared segment). */
    private void deleteBodies(JsonNode record) throws IOException {
        for (String field : new String[] {"request_body", "response_body"}) {
            JsonNode body = record.path(field);
            if (body.path("file").isTextual() && !body.has("offset")) {
                Files.deleteIfExists(config.dir().resolve(body.path("file").asText()));
            }
        }
    }

    /** Removes whole day folders before {@code first}, and any day folder left empty. */
    private void deleteBodyDaysBefore(LocalDate first) throws IOException {
        Path bodies = config.dir().resolve("bodies");
        if (!Files.isDirectory(bodies)) return;
        try (Stream<Path> days = Files.list(bodies)) {
            for (Path day : days.toList()) {
                boolean old = isDay(day) && LocalDate.parse(day.getFileName().toString()).isBefore(first);
                try (Stream<Path> files = Files.list(day)) {
                    List<Path> inside = files.toList();
                    if (old) for (Path f : inside) Files.deleteIfExists(f);
                    if (old || inside.isEmpty()) Files.delete(day);
                }
            }
        }
    }

    private static boolean isDay(Path dir) {
        return Files.isDirectory(dir) && dir.getFileName().toString().matches("\\d{4}-\\d{2}-\\d{2}");
    }

    static String safe(String requestId) {
        return requestId.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
