package dev.spillway.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The audit directory's layout: {@code chain/audit-NNNNNNNNNNNN.log} (hash-chained JSON lines),
 * {@code chain/anchor.json} (seq and hash of the last record retention removed), and per day
 * {@code bodies/YYYY-MM-DD/segment-NNNNNN.bodies} (many bodies each, see {@link BodySegments}) and
 * {@code bodies/YYYY-MM-DD/<request-id>.<direction>} (bodies too large to share). Static helpers;
 * thread-safe.
 */
final class ChainFiles {
    static final String PREFIX = "audit";
    /** How much of a segment's end {@link #lastLine} reads at a time. */
    private static final int TAIL_BLOCK = 8192;

    /** The last record before the first kept one: where verification starts. */
    record Anchor(long seq, String hash) {}

    /** A segment's complete lines, and whether a crash left a partial line at its end. */
    record Lines(List<String> lines, boolean tornTail) {}

    private ChainFiles() {
    }

    static Path chainDir(Path auditDir) {
        return auditDir.resolve("chain");
    }

    static List<Path> segments(Path auditDir) throws IOException {
        Path dir = chainDir(auditDir);
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches(PREFIX + "-\\d{12}\\.log")).sorted().toList();
        }
    }

    static Lines read(Path segment) throws IOException {
        String text = Files.readString(segment, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        String tail = lines.removeLast();
        lines.removeIf(String::isEmpty);
        return new Lines(lines, !tail.isEmpty());
    }

    static Anchor anchor(Path auditDir) throws IOException {
        Path file = chainDir(auditDir).resolve("anchor.json");
        if (!Files.exists(file)) return new Anchor(0, ChainEncoder.GENESIS);
        JsonNode n = Json.MAPPER.readTree(file.toFile());
        return new Anchor(n.path("seq").asLong(), n.path("hash").asText());
    }

    static void writeAnchor(Path auditDir, Anchor anchor) throws IOException {
        Path file = chainDir(auditDir).resolve("anchor.json");
        Path tmp = file.resolveSibling("anchor.json.tmp");
        Files.writeString(tmp, Json.MAPPER.createObjectNode().put("seq", anchor.seq()).put("hash", anchor.hash()) + "\n");
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The newest record's seq and hash (what the next record chains to). */
    static Anchor head(Path auditDir) throws IOException {
        List<Path> segments = segments(auditDir);
        for (int i = segments.size() - 1; i >= 0; i--) {
            Optional<String> line = lastLine(segments.get(i));
            if (line.isEmpty()) continue;
            ChainEncoder.Parsed last = ChainEncoder.parse(line.get());
            return new Anchor(last.content().path("seq").asLong(), last.claimed());
        }
        return anchor(auditDir);
    }

    /**
     * The segment's last complete, non-empty line (as {@link #read} would list it last), read
     * from the end. A segment grows to {@code segment-size} (64 MiB by default): reading the last
     * one whole at every start grew the heap by about three times its size, for good.
     */
    static Optional<String> lastLine(Path segment) throws IOException {
        try (FileChannel file = FileChannel.open(segment)) {
            byte[] tail = new byte[0];
            long from = file.size();
            for (;;) {
                Optional<String> line = lastCompleteLine(tail, from == 0);
                if (line.isPresent() || from == 0) return line;
                int n = (int) Math.min(TAIL_BLOCK, from);
                from -= n;
                ByteBuffer block = ByteBuffer.allocate(n + tail.length).limit(n);
                while (block.hasRemaining()) {
                    if (file.read(block, from + block.position()) < 0) throw new EOFException(segment + " shrank");
                }
                tail = block.limit(block.capacity()).put(tail).array();
            }
        }
    }

    /** The last non-empty line a newline ends in {@code text}; empty when it may begin before {@code text}. */
    private static Optional<String> lastCompleteLine(byte[] text, boolean startsFile) {
        int end = lastNewline(text, text.length - 1);
        while (end >= 0) {
            int begin = lastNewline(text, end - 1);
            if (begin < 0 && !startsFile) return Optional.empty();
            if (end - begin > 1) return Optional.of(new String(text, begin + 1, end - begin - 1, StandardCharsets.UTF_8));
            end = begin;
        }
        return Optional.empty();
    }

    private static int lastNewline(byte[] text, int from) {
        for (int i = from; i >= 0; i--) {
            if (text[i] == '\n') return i;
        }
        return -1;
    }
}
