package dev.spillway.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Finds audit records: one request's (newest segment first), or a search. Stateless; blocking file reads. */
public final class AuditReader {
    private AuditReader() {
    }

    public static Optional<JsonNode> find(Path auditDir, String requestId) throws IOException {
        List<Path> segments = ChainFiles.segments(auditDir);
        String needle = "\"id\":" + Json.MAPPER.writeValueAsString(requestId) + ",";
        for (int i = segments.size() - 1; i >= 0; i--) {
            List<String> lines = ChainFiles.read(segments.get(i)).lines();
            for (int j = lines.size() - 1; j >= 0; j--) {
                if (lines.get(j).contains(needle)) return Optional.of(ChainEncoder.parse(lines.get(j)).content());
            }
        }
        return Optional.empty();
    }

    /**
     * Up to {@code limit} records, newest first, that {@code wanted} accepts (the console's search by
     * app and time). Reads segments from the newest and stops once {@code limit} are found.
     */
    public static List<JsonNode> search(Path auditDir, java.util.function.Predicate<JsonNode> wanted, int limit)
            throws IOException {
        List<JsonNode> found = new java.util.ArrayList<>();
        List<Path> segments = ChainFiles.segments(auditDir);
        for (int i = segments.size() - 1; i >= 0 && found.size() < limit; i--) {
            List<String> lines = ChainFiles.read(segments.get(i)).lines();
            for (int j = lines.size() - 1; j >= 0 && found.size() < limit; j--) {
                JsonNode record = ChainEncoder.parse(lines.get(j)).content();
                if (wanted.test(record)) found.add(record);
            }
        }
        return found;
    }

    /**
     * A body as it was captured (redacted): the stored bytes, decrypted with {@code keys} when the
     * record says they were encrypted. Empty when the record names no stored body.
     */
    public static Optional<byte[]> plaintext(Path auditDir, JsonNode record, String field, Keyring keys)
            throws IOException, AuditKeyException {
        Optional<byte[]> stored = body(auditDir, record, field);
        JsonNode enc = record.path(field).path("encryption");
        if (stored.isEmpty() || !enc.isObject()) return stored;
        String name = FileAuditSink.safe(record.path("id").asText()) + "." + field.substring(0, field.indexOf('_'));
        return Optional.of(BodyCipher.decrypt(keys, new BodyCipher.Sealed(enc.path("key").asText(),
                enc.path("nonce").asText()), name, stored.get()));
    }

    /**
     * The stored (redacted) bytes of a body named in a record ({@code request_body} or
     * {@code response_body}): its own file, or its run inside a shared segment file. Empty when the
     * record names no stored body; {@link java.nio.file.NoSuchFileException} when the file is gone.
     */
    public static Optional<byte[]> body(Path auditDir, JsonNode record, String field) throws IOException {
        JsonNode body = record.path(field);
        if (!body.path("file").isTextual()) return Optional.empty();
        Path file = auditDir.resolve(body.path("file").asText());
        if (!body.has("offset")) return Optional.of(Files.readAllBytes(file));
        long offset = body.path("offset").asLong();
        long length = body.path("bytes_stored").asLong();
        if (length > Integer.MAX_VALUE - 8) throw new IOException(field + " of " + length + " bytes is too large to read at once");
        ByteBuffer buf = ByteBuffer.allocate((int) length);
        try (FileChannel ch = FileChannel.open(file)) {
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) break; // cut short: the hash check will say so
            }
        }
        return Optional.of(Arrays.copyOf(buf.array(), buf.position()));
    }
}
