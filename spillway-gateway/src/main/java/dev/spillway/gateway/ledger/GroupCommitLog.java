package dev.spillway.gateway.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only log of newline-terminated records in numbered segment files, written by one
 * thread that commits whole groups: it commits at most once per commit interval (a record that
 * arrives after a quiet interval goes at once; one that arrives sooner waits for the others),
 * takes every queued record, writes them in one call, calls {@code fsync} once and only then
 * completes their futures. Callers never block: {@link #append}
 * only enqueues, and fails fast when the queue or the disk budget is full.
 *
 * <p>Implementation notes: a new segment is started on open (an old one may end in a torn line)
 * and whenever the current one passes {@code segmentSize}. {@link #committed()} is the position
 * up to which bytes are durable; readers must not read past it in the current segment. The
 * encoder runs on the writer thread in append order, so it may keep state (a hash chain).
 * Thread-safe; one per directory, closed at shutdown.
 */
public final class GroupCommitLog<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitLog.class);
    private static final int MAX_GROUP = 4096;

    /** Where durable data ends: segment number and byte offset in it. */
    public record Position(long segment, long offset) {}

    private record Pending<T>(T item, CompletableFuture<Void> done) {}

    private final Path dir;
    private final String prefix;
    private final long segmentSize;
    private final long maxBytes;
    private final boolean fsync;
    private final long commitIntervalNanos;
    private final Function<T, byte[]> encoder;
    private final Runnable afterCommit;
    private final BlockingQueue<Pending<T>> queue;
    private final AtomicLong diskBytes = new AtomicLong();
    private final Thread writer;
    private volatile Position committed;
    private volatile boolean closed;
    private volatile boolean rollRequested;
    private FileChannel channel;
    // writer thread only: the end of the current segment, kept here so that a commit asks the
    // kernel nothing beyond its write and fsync (FileChannel.position() is an lseek each call)
    private long position;
    private final FileLock lock;
    // writer thread only: when the last group was committed
    private long lastCommitNanos = System.nanoTime() - Long.MAX_VALUE / 2;

    public GroupCommitLog(Path dir, String prefix, long segmentSize, long maxBytes, int maxQueued,
            boolean fsync, Duration commitInterval, Function<T, byte[]> encoder) {
        this(dir, prefix, segmentSize, maxBytes, maxQueued, fsync, commitInterval, encoder, () -> { });
    }

    /** {@code afterCommit} runs on the writer thread after each group is durable, before its futures complete. */
    public GroupCommitLog(Path dir, String prefix, long segmentSize, long maxBytes, int maxQueued,
            boolean fsync, Duration commitInterval, Function<T, byte[]> encoder, Runnable afterCommit) {
        this.afterCommit = afterCommit;
        this.dir = dir;
        this.prefix = prefix;
        this.segmentSize = segmentSize;
        this.maxBytes = maxBytes;
        this.fsync = fsync;
        this.commitIntervalNanos = commitInterval.toNanos();
        this.encoder = encoder;
        this.queue = new ArrayBlockingQueue<>(maxQueued);
        try {
            Files.createDirectories(dir);
            this.lock = lock(dir, prefix);
            List<Path> existing = segments();
            for (Path p : existing) diskBytes.addAndGet(Files.size(p));
            long next = existing.isEmpty() ? 1 : segmentNumber(existing.getLast()) + 1;
            openSegment(next);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the log in " + dir, e);
        }
        this.writer = Thread.ofPlatform().daemon().name(prefix + "-writer").start(this::writeLoop);
    }

    /** Enqueues a record; the future completes once it is on disk (fsync'd when configured). */
    public CompletableFuture<Void> append(T item) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(new IllegalStateException(prefix + " log is closed"));
        } else if (diskBytes.get() >= maxBytes) {
            done.completeExceptionally(new IllegalStateException(
                    prefix + " spool is full (" + diskBytes.get() + " bytes >= max " + maxBytes + ")"));
        } else if (!queue.offer(new Pending<>(item, done))) {
            done.completeExceptionally(new IllegalStateException(prefix + " write queue is full"));
        }
        return done;
    }

    public Position committed() {
        return committed;
    }

    public Path dir() {
        return dir;
    }

    /** Bytes held in segment files, drained or not. */
    public long diskBytes() {
        return diskBytes.get();
    }

    /** The segment files, oldest first. */
    public List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches(prefix + "-\\d{12}\\.log"))
                    .sorted().toList();
        }
    }

    public Path segmentPath(long number) {
        return dir.resolve("%s-%012d.log".formatted(prefix, number));
    }

    public static long segmentNumber(Path p) {
        String name = p.getFileName().toString();
        return Long.parseLong(name.substring(name.length() - 16, name.length() - 4));
    }

    /** Asks the writer to start a new segment after its next commit (so retention can expire the current one). */
    public void rollAfterNextCommit() {
        rollRequested = true;
    }

    /** Deletes a segment that is no longer needed (never the one being written). */
    public void delete(long number) throws IOException {
        if (number >= committed.segment()) throw new IllegalArgumentException("segment " + number + " is live");
        Path p = segmentPath(number);
        if (Files.exists(p)) {
            long size = Files.size(p);
            Files.delete(p);
            diskBytes.addAndGet(-size);
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        writer.interrupt();
        writer.join();
    }

    private void writeLoop() {
        List<Pending<T>> group = new ArrayList<>();
        while (true) {
            try {
                group.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            // Let a group gather: at most one write and one fsync per interval instead of one per
            // record. After a quiet interval the record goes at once: nobody else is coming, and a
            // reply held for it (durability: strict) should not wait for nothing.
            long wait = commitIntervalNanos - (System.nanoTime() - lastCommitNanos);
            if (wait > 0) LockSupport.parkNanos(wait);
            queue.drainTo(group, MAX_GROUP);
            commit(group);
            lastCommitNanos = System.nanoTime();
            group.clear();
        }
        queue.drainTo(group);
        commit(group);
        closeChannel();
        try {
            lock.channel().close();
        } catch (IOException e) {
            LOG.warn("{} log: releasing the lock failed: {}", prefix, e.toString());
        }
    }

    private void commit(List<Pending<T>> group) {
        if (group.isEmpty()) return;
        try {
            ByteBuffer buf = encode(group);
            int written = buf.remaining();
            while (buf.hasRemaining()) position += channel.write(buf); // counts a partial write too
            if (fsync) channel.force(false);
            diskBytes.addAndGet(written);
            committed = new Position(committed.segment(), position);
            afterCommit.run();
            for (Pending<T> p : group) p.done().complete(null);
            if (position >= segmentSize || rollRequested) {
                rollRequested = false;
                openSegment(committed.segment() + 1);
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("{} log: could not write {} records: {}", prefix, group.size(), e.toString());
            for (Pending<T> p : group) p.done().completeExceptionally(e);
        }
    }

    /** The whole group as one buffer of newline-terminated lines: one write call per group. */
    private ByteBuffer encode(List<Pending<T>> group) {
        List<byte[]> lines = new ArrayList<>(group.size());
        int size = 0;
        for (Pending<T> p : group) {
            byte[] line = encoder.apply(p.item());
            lines.add(line);
            size += line.length + 1;
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        for (byte[] line : lines) buf.put(line).put((byte) '\n');
        return buf.flip();
    }

    private void openSegment(long number) throws IOException {
        closeChannel();
        channel = FileChannel.open(segmentPath(number), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        position = 0;
        if (fsync) syncDirectory();
        committed = new Position(number, 0);
    }

    /** One writer per directory, across processes too: two would interleave segments and checkpoints. */
    private static FileLock lock(Path dir, String prefix) throws IOException {
        FileChannel ch = FileChannel.open(dir.resolve(prefix + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock l = ch.tryLock();
            if (l != null) return l;
        } catch (OverlappingFileLockException e) {
            // held by this JVM
        }
        ch.close();
        throw new IllegalStateException(dir + " is in use by another " + prefix + " writer (each gateway needs its own data dir)");
    }

    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.debug("directory fsync not supported here: {}", e.toString());
        }
    }

    private void closeChannel() {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("{} log: closing a segment failed: {}", prefix, e.toString());
        }
    }
}
