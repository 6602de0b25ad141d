package dev.spillway.gateway.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link BodyCapture} that redacts chunks on the audit thread and appends them to a file,
 * storing at most {@code maxBody} redacted bytes and hashing what it stores. Memory is bounded
 * by the shared in-flight counter, which also holds this capture's own {@code footprint} until its
 * file is closed. Fields below the line are touched only on the audit thread.
 */
final class FileBodyCapture implements BodyCapture {
    private final Path file;
    private final String relative;
    private final Executor io;
    private final AtomicLong inFlight;
    private final long maxInFlight;
    private final long maxBody;
    private final boolean fsync;
    private final long footprint;
    private long seen;
    private boolean dropped;
    private boolean finished;
    // audit thread only:
    private final StreamingRedactor redactor;
    private final MessageDigest sha256;
    private FileChannel channel;
    private long stored;
    private boolean truncated;
    private boolean ioFailed;

    FileBodyCapture(Path file, String relative, Executor io, AtomicLong inFlight, long maxInFlight, long maxBody,
            Redactor redactor, boolean fsync, long footprint) {
        this.file = file;
        this.relative = relative;
        this.io = io;
        this.inFlight = inFlight;
        this.maxInFlight = maxInFlight;
        this.maxBody = maxBody;
        this.fsync = fsync;
        this.footprint = footprint;
        this.redactor = new StreamingRedactor(redactor);
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void write(byte[] chunk) {
        if (finished || chunk.length == 0) return;
        seen += chunk.length;
        if (inFlight.addAndGet(chunk.length) > maxInFlight) {
            inFlight.addAndGet(-chunk.length);
            dropped = true;
            return;
        }
        io.execute(() -> {
            try {
                store(redactor.feed(chunk));
            } catch (IOException e) {
                ioFailed = true;
            } finally {
                inFlight.addAndGet(-chunk.length);
            }
        });
    }

    @Override
    public CompletionStage<BodyRef> finish() {
        CompletableFuture<BodyRef> done = new CompletableFuture<>();
        if (finished) throw new IllegalStateException("finish() called twice for " + relative);
        finished = true;
        long seenTotal = seen;
        boolean incomplete = dropped;
        io.execute(() -> {
            try {
                store(redactor.finish());
                open();
                if (fsync) channel.force(false);
                channel.close();
                BodyRef ref = new BodyRef(relative, seenTotal, stored, truncated, incomplete || ioFailed,
                        HexFormat.of().formatHex(sha256.digest()));
                inFlight.addAndGet(-footprint);
                done.complete(ref);
            } catch (IOException | RuntimeException e) {
                inFlight.addAndGet(-footprint);
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    private void store(byte[] redacted) throws IOException {
        if (redacted.length == 0) return;
        int room = (int) Math.min(redacted.length, maxBody - stored);
        if (room < redacted.length) truncated = true;
        if (room <= 0) return;
        open();
        ByteBuffer buf = ByteBuffer.wrap(redacted, 0, room);
        while (buf.hasRemaining()) channel.write(buf);
        sha256.update(redacted, 0, room);
        stored += room;
    }

    private void open() throws IOException {
        if (channel != null) return;
        Files.createDirectories(file.getParent());
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }
}
