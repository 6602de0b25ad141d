package dev.spillway.gateway.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships records as JSON lines ({@code {"kind":"usage",...}}) to {@code dir/spillway-records.jsonl}
 * for a log shipper (Fluent Bit, Filebeat, the Azure Monitor agent). At {@code max-file-size} the
 * file is rotated the way logrotate does it and shippers follow: {@code .jsonl} becomes
 * {@code .jsonl.1}, {@code .1} becomes {@code .2}, and so on; the oldest beyond {@code max-files}
 * is deleted. A line is never split across files. Writes run on one thread behind a bounded queue;
 * a full queue or a failed write drops the line and counts it. Thread-safe; one per gateway.
 */
public final class JsonLinesExport implements RecordExport {
    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesExport.class);
    static final String FILE = "spillway-records.jsonl";

    private final Path dir;
    private final long maxBytes;
    private final int maxFiles;
    private final ThreadPoolExecutor writer;
    private final AtomicLong dropped = new AtomicLong();
    private OutputStream out; // writer thread only
    private long size;        // writer thread only

    public JsonLinesExport(Path dir, long maxBytes, int maxFiles, int queueSize) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueSize),
                Thread.ofPlatform().name("spillway-export-files").daemon().factory(),
                (task, pool) -> dropped.incrementAndGet());
    }

    @Override
    public void ship(String kind, String requestId, Instant at, ObjectNode fields) {
        ObjectNode line = Json.MAPPER.createObjectNode().put("kind", kind);
        line.setAll(fields);
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        writer.execute(() -> write(bytes));
    }

    private void write(byte[] line) {
        try {
            if (out != null && size + line.length > maxBytes && size > 0) rotate();
            if (out == null) open();
            out.write(line);
            out.flush();
            size += line.length;
        } catch (IOException e) {
            dropped.incrementAndGet();
            LOG.warn("export: writing {} failed: {}", dir.resolve(FILE), e.toString());
            closeFile();
        }
    }

    private void open() throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = Files.size(file);
    }

    private void rotate() throws IOException {
        closeFile();
        Files.deleteIfExists(numbered(maxFiles));
        for (int i = maxFiles - 1; i >= 1; i--) {
            if (Files.exists(numbered(i))) Files.move(numbered(i), numbered(i + 1), StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(dir.resolve(FILE), numbered(1), StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(numbered(maxFiles)); // max-files counts the live file too
    }

    private Path numbered(int i) {
        return dir.resolve(FILE + "." + i);
    }

    private void closeFile() {
        if (out == null) return;
        try {
            out.close();
        } catch (IOException e) {
            LOG.warn("export: closing {} failed: {}", dir.resolve(FILE), e.toString());
        }
        out = null;
    }

    @Override
    public long dropped() {
        return dropped.get();
    }

    /** Writes what is queued (at most 10 s), then closes the file. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) LOG.warn("export: lines still queued at shutdown were lost");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeFile();
    }
}
