package dev.spillway.gateway.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies spooled usage records to the {@link UsageSink} in spool order, one batch per
 * transaction, and advances a checkpoint file ({@code drain.checkpoint}: segment and offset)
 * only after the sink committed. A crash between commit and checkpoint replays that batch, which
 * the idempotent sink ignores. Fully drained old segments are deleted. Runs on its own thread;
 * package-private engine of {@link SpoolUsageLedger}.
 */
final class SpoolDrainer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolDrainer.class);
    private static final int MAX_READ = 4 << 20;
    private static final Duration LINGER = Duration.ofMillis(100);

    private final GroupCommitLog<UsageRecord> log;
    private final UsageSink sink;
    private final int batchSize;
    private final Duration retryMin;
    private final Duration retryMax;
    private final Path checkpointFile;
    private final Object signal = new Object();
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Thread thread;
    private volatile String lastError = "";
    private volatile boolean running = true;
    private long segment;
    private long offset;

    SpoolDrainer(GroupCommitLog<UsageRecord> log, UsageSink sink, int batchSize, Duration retryMin, Duration retryMax) {
        this.log = log;
        this.sink = sink;
        this.batchSize = batchSize;
        this.retryMin = retryMin;
        this.retryMax = retryMax;
        this.checkpointFile = log.dir().resolve("drain.checkpoint");
        readCheckpoint();
        this.thread = Thread.ofPlatform().daemon().name("usage-drainer").start(this::run);
    }

    private void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    long stored() { return stored.get(); }

    long duplicates() { return duplicates.get(); }

    long failures() { return failures.get(); }

    String lastError() { return lastError; }

    boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (signal) {
            while (!caughtUp()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                signal.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join();
    }

    private boolean caughtUp() {
        GroupCommitLog.Position end = log.committed();
        return segment == end.segment() && offset >= end.offset();
    }

    private void run() {
        Duration backoff = retryMin;
        while (running) {
            try {
                int drained = step();
                backoff = retryMin;
                // Linger unless a full batch is waiting: fewer, larger transactions (each one is a
                // database fsync) instead of one per request.
                if (drained < batchSize) idle(LINGER);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                failures.incrementAndGet();
                lastError = e.toString();
                LOG.warn("usage drain to the database failed (retrying in {}): {}", backoff, e.toString());
                try {
                    Thread.sleep(backoff); // a background retry delay; appends must not cut it short
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(retryMax) > 0 ? retryMax : backoff.multipliedBy(2);
            }
        }
    }

    /** Drains one batch or moves past a finished segment; returns records drained (batchSize after a segment move). */
    private int step() throws Exception {
        GroupCommitLog.Position end = log.committed();
        Path file = log.segmentPath(segment);
        if (segment < end.segment() && (!Files.exists(file) || offset >= Files.size(file))) {
            log.delete(segment);
            segment++;
            offset = 0;
            writeCheckpoint();
            return batchSize;
        }
        long limit = segment == end.segment() ? end.offset() : Files.size(file);
        if (offset >= limit) return 0;
        List<UsageRecord> batch = new ArrayList<>();
        long next = readBatch(file, limit, batch);
        int fresh = sink.insert(batch);
        stored.addAndGet(fresh);
        duplicates.addAndGet(batch.size() - fresh);
        offset = next;
        writeCheckpoint();
        wake();
        return next < limit ? batchSize : batch.size();
    }

    /** Reads up to batchSize whole lines from {@code offset}; returns the offset after them. */
    private long readBatch(Path file, long limit, List<UsageRecord> batch) throws IOException {
        int want = (int) Math.min(limit - offset, MAX_READ);
        ByteBuffer buf = ByteBuffer.allocate(want);
        try (FileChannel ch = FileChannel.open(file)) {
            while (buf.hasRemaining() && ch.read(buf, offset + buf.position()) > 0) {
                // keep reading until the window is full
            }
        }
        byte[] bytes = buf.array();
        int start = 0;
        for (int i = 0; i < buf.position() && batch.size() < batchSize; i++) {
            if (bytes[i] != '\n') continue;
            decodeInto(bytes, start, i - start, batch);
            start = i + 1;
        }
        if (start == 0 && buf.position() > 0) return tornTail(file, limit);
        return offset + start;
    }

    private void decodeInto(byte[] bytes, int start, int length, List<UsageRecord> batch) {
        try {
            batch.add(UsageRecordCodec.decode(bytes, start, length));
        } catch (IOException | RuntimeException e) {
            LOG.error("skipping an unreadable usage spool line in segment {} at {}: {}", segment,
                    offset + start, e.toString());
        }
    }

    /** A segment that ends without a newline was cut by a crash mid-write; its tail never committed. */
    private long tornTail(Path file, long limit) {
        LOG.warn("segment {} ends in {} uncommitted bytes (crash mid-write); skipping them", file, limit - offset);
        return limit;
    }

    private void idle(Duration d) throws InterruptedException {
        synchronized (signal) {
            signal.notifyAll();
            if (running) signal.wait(Math.max(1, d.toMillis()));
        }
    }

    private void readCheckpoint() {
        try {
            if (Files.exists(checkpointFile)) {
                String[] parts = Files.readString(checkpointFile, StandardCharsets.UTF_8).trim().split(" ");
                segment = Long.parseLong(parts[0]);
                offset = Long.parseLong(parts[1]);
            }
            List<Path> segments = log.segments();
            long first = segments.isEmpty() ? log.committed().segment() : GroupCommitLog.segmentNumber(segments.getFirst());
            if (segment < first) {
                segment = first;
                offset = 0;
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("unreadable ledger checkpoint " + checkpointFile + ": " + e, e);
        }
    }

    private void writeCheckpoint() throws IOException {
        Path tmp = checkpointFile.resolveSibling("drain.checkpoint.tmp");
        Files.writeString(tmp, segment + " " + offset + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, checkpointFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
