package dev.spillway.gateway.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Append-only files that hold many bodies each: {@code bodies/YYYY-MM-DD/segment-NNNNNN.bodies},
 * one folder per day of the requests' start. A body is one contiguous run of bytes, found by the
 * record's {@code file}, {@code offset} and {@code bytes_stored}. Appends are not synced one by
 * one: {@link #sync} forces every file written since the last sync, once per group. A start
 * never appends to an existing file (a crash may have left a torn tail); it opens the next number.
 * Confined to the audit thread.
 */
final class BodySegments implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BodySegments.class);
    private static final String SUFFIX = ".bodies";

    /** Where an appended body lies: the file relative to the audit dir, and its first byte. */
    record Location(String file, long offset) {}

    private final class Open {
        final String relative;
        final FileChannel channel;
        long size;
        boolean dirty;

        Open(LocalDate day, int number) throws IOException {
            relative = "bodies/" + day + "/" + "segment-%06d%s".formatted(number, SUFFIX);
            Path path = auditDir.resolve(relative);
            Files.createDirectories(path.getParent());
            channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
    }

    private final Path auditDir;
    private final long segmentSize;
    private final Map<LocalDate, Open> open = new TreeMap<>();
    private final Map<LocalDate, Integer> numbers = new TreeMap<>();

    BodySegments(Path auditDir, long segmentSize) {
        this.auditDir = auditDir;
        this.segmentSize = segmentSize;
    }

    /** Appends {@code bytes[0, length)} to the day's current segment (not yet synced). */
    Location append(LocalDate day, byte[] bytes, int length) throws IOException {
        Open segment = current(day);
        long offset = segment.size;
        ByteBuffer buf = ByteBuffer.wrap(bytes, 0, length);
        while (buf.hasRemaining()) segment.channel.write(buf, offset + buf.position());
        segment.size += length;
        segment.dirty = true;
        return new Location(segment.relative, offset);
    }

    /** Forces every segment appended to since the last sync to disk. */
    void sync() throws IOException {
        for (Open segment : open.values()) {
            if (segment.dirty) {
                segment.channel.force(false);
                segment.dirty = false;
            }
        }
    }

    /** Syncs what is not synced yet, then closes every file. */
    @Override
    public void close() {
        for (Open segment : open.values()) {
            try {
                retire(segment);
            } catch (IOException e) {
                LOG.error("audit body segment {}: final sync failed: {}", segment.relative, e.toString());
            }
        }
        open.clear();
    }

    private Open current(LocalDate day) throws IOException {
        Open segment = open.get(day);
        if (segment != null && segment.size < segmentSize) return segment;
        if (segment != null) retire(open.remove(day));
        int number = numbers.containsKey(day) ? numbers.get(day) + 1 : lastNumber(day) + 1;
        segment = new Open(day, number);
        numbers.put(day, number);
        open.put(day, segment);
        closeDaysBefore(day.minusDays(1));
        return segment;
    }

    /** Requests last less than a day, so a segment two days older than the newest takes no more bodies. */
    private void closeDaysBefore(LocalDate oldestKept) throws IOException {
        List<LocalDate> done = open.keySet().stream().filter(d -> d.isBefore(oldestKept)).toList();
        for (LocalDate day : done) retire(open.remove(day));
        numbers.keySet().removeIf(d -> d.isBefore(oldestKept)); // a late body rescans its folder
    }

    private static void retire(Open segment) throws IOException {
        try {
            if (segment.dirty) segment.channel.force(false);
        } finally {
            closeQuietly(segment);
        }
    }

    private int lastNumber(LocalDate day) throws IOException {
        Path dir = auditDir.resolve("bodies").resolve(day.toString());
        if (!Files.isDirectory(dir)) return 0;
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("segment-\\d{6}\\" + SUFFIX))
                    .mapToInt(n -> Integer.parseInt(n.substring(8, 14)))
                    .max().orElse(0);
        }
    }

    private static void closeQuietly(Open segment) {
        try {
            segment.channel.close();
        } catch (IOException e) {
            LOG.warn("closing audit body segment {} failed: {}", segment.relative, e.toString());
        }
    }
}
