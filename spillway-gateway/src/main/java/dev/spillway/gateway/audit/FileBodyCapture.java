package dev.spillway.gateway.audit;

import dev.spillway.gateway.redact.Redactor;
import dev.spillway.gateway.redact.StreamingRedactor;
import dev.spillway.core.limit.InFlightBudget;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A {@link BodyCapture} that redacts chunks on the audit thread, stores at most {@code maxBody}
 * redacted bytes (encrypted with {@link BodyCipher} when a body key is configured) and hashes
 * what it stores. A body of up to {@link #SPILL} bytes is kept in
 * memory and appended whole to the day's shared body segment at the end, synced with the others
 * of its group; a larger one moves to a file of its own, synced alone. Memory is bounded by the
 * shared {@link InFlightBudget}: it holds the raw bytes of chunks until they are on disk, and
 * this capture's own {@link FileAuditSink#CAPTURE_FOOTPRINT} until it completed. Fields below the line are touched only on
 * the audit thread.
 */
final class FileBodyCapture implements BodyCapture {
    /** Bodies up to this many stored bytes share a segment file; larger ones get their own. */
    static final int SPILL = 1 << 20;

    /** What the capture needs of its sink, all used on the audit thread. */
    record Store(Path auditDir, BodySegments segments, Consumer<Runnable> afterSync, Executor io, InFlightBudget budget,
            long maxBody, boolean fsync, Optional<AuditKey> bodyKey) {}

    private final Store store;
    private final LocalDate day;
    private final String ownFile;
    private long seen;
    private boolean dropped;
    private boolean finished;
    // audit thread only:
    private final StreamingRedactor redactor;
    private final MessageDigest sha256;
    private byte[] buffer = new byte[0];
    private int buffered;
    private long heldRaw;
    private FileChannel own;
    private BodyCipher.Encryption encryption;
    private long plain;
    private long stored;
    private boolean truncated;
    private boolean ioFailed;

    /** {@code ownFile}: where the body goes, relative to the audit dir, if it outgrows {@link #SPILL}. */
    FileBodyCapture(Store store, LocalDate day, String ownFile, Redactor redactor) {
        this.store = store;
        this.day = day;
        this.ownFile = ownFile;
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
        if (!store.budget().tryTake(chunk.length)) {
            dropped = true;
            return;
        }
        store.io().execute(() -> {
            heldRaw += chunk.length;
            try {
                keep(redactor.feed(chunk));
            } catch (IOException | RuntimeException e) { // a full disk, a body key that cannot be read
                ioFailed = true;
            }
            if (own != null || ioFailed) release();
        });
    }

    @Override
    public CompletionStage<BodyRef> finish() {
        CompletableFuture<BodyRef> done = new CompletableFuture<>();
        if (finished) throw new IllegalStateException("finish() called twice for " + ownFile);
        finished = true;
        long seenTotal = seen;
        boolean incomplete = dropped;
        store.io().execute(() -> {
            try {
                keep(redactor.finish());
                if (encryption != null) put(encryption.cipher().doFinal());
                String sha = HexFormat.of().formatHex(sha256.digest());
                if (own != null) {
                    if (store.fsync()) own.force(false);
                    own.close();
                    complete(done, new BodyRef(ownFile, seenTotal, stored, truncated, incomplete || ioFailed, sha, -1, sealed()));
                    return;
                }
                BodySegments.Location at = store.segments().append(day, buffer, buffered);
                buffer = null;
                release();
                BodyRef ref = new BodyRef(at.file(), seenTotal, stored, truncated, incomplete || ioFailed, sha, at.offset(),
                        sealed());
                if (store.fsync()) store.afterSync().accept(() -> complete(done, ref));
                else complete(done, ref);
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                release();
                store.budget().release(FileAuditSink.CAPTURE_FOOTPRINT);
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    private void complete(CompletableFuture<BodyRef> done, BodyRef ref) {
        store.budget().release(FileAuditSink.CAPTURE_FOOTPRINT);
        done.complete(ref);
    }

    /** Gives back the in-flight budget of chunks that are no longer in memory. */
    private void release() {
        store.budget().release(heldRaw);
        heldRaw = 0;
    }

    /** Keeps up to {@code max-body-size} redacted bytes, encrypted when a body key is configured. */
    private void keep(byte[] redacted) throws IOException {
        int room = (int) Math.min(redacted.length, store.maxBody() - plain);
        if (room < redacted.length) truncated = true;
        if (room <= 0) return;
        plain += room;
        if (store.bodyKey().isEmpty()) {
            put(redacted, room);
            return;
        }
        if (encryption == null) {
            encryption = BodyCipher.encrypt(store.bodyKey().get(), Path.of(ownFile).getFileName().toString());
        }
        byte[] sealed = encryption.cipher().update(redacted, 0, room);
        if (sealed != null) put(sealed);
    }

    private Optional<BodyCipher.Sealed> sealed() {
        return Optional.ofNullable(encryption).map(BodyCipher.Encryption::sealed);
    }

    private void put(byte[] bytes) throws IOException {
        put(bytes, bytes.length);
    }

    /** Hashes and stores the first {@code length} bytes: in the buffer, or the body's own file. */
    private void put(byte[] bytes, int length) throws IOException {
        sha256.update(bytes, 0, length);
        stored += length;
        if (own == null && buffered + length <= SPILL) {
            if (buffered + length > buffer.length) buffer = Arrays.copyOf(buffer, Math.max(buffered + length, buffer.length * 2));
            System.arraycopy(bytes, 0, buffer, buffered, length);
            buffered += length;
            return;
        }
        if (own == null) spill();
        ByteBuffer buf = ByteBuffer.wrap(bytes, 0, length);
        while (buf.hasRemaining()) own.write(buf);
    }

    /** Moves a body that outgrew {@link #SPILL} to its own file. */
    private void spill() throws IOException {
        Path file = store.auditDir().resolve(ownFile);
        Files.createDirectories(file.getParent());
        own = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        ByteBuffer buf = ByteBuffer.wrap(buffer, 0, buffered);
        while (buf.hasRemaining()) own.write(buf);
        buffer = null;
        buffered = 0;
    }
}
