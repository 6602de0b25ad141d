package dev.spillway.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * Turns audit records into hash-chained lines: {@code {"seq":N,...,"prev":H(N-1),"hash":H(N)}}
 * where {@code H(N)} is the SHA-256 of the line's bytes up to (not including) {@code ,"hash"}
 * followed by {@code }}. Editing any byte of a record breaks its hash; deleting one breaks the
 * next record's {@code prev} and the {@code seq} run. Runs on the chain writer thread only.
 */
final class ChainEncoder implements Function<AuditRecord, byte[]> {
    static final String GENESIS = "0".repeat(64);
    static final String HASH_FIELD = ",\"hash\":\"";

    private long seq;
    private String last;

    ChainEncoder(long lastSeq, String lastHash) {
        this.seq = lastSeq;
        this.last = lastHash;
    }

    @Override
    public byte[] apply(AuditRecord record) {
        ObjectNode line = Json.MAPPER.createObjectNode().put("seq", seq + 1);
        line.setAll(record.toJson());
        line.put("prev", last);
        try {
            String content = Json.MAPPER.writeValueAsString(line);
            String hash = sha256(content);
            seq++;
            last = hash;
            return (content.substring(0, content.length() - 1) + HASH_FIELD + hash + "\"}").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A verified line: its content (without the hash), the hash it claims, and whether they match. */
    record Parsed(JsonNode content, String claimed, boolean intact) {}

    static Parsed parse(String line) throws IOException {
        int at = line.lastIndexOf(HASH_FIELD);
        if (at < 0 || !line.endsWith("\"}")) throw new IOException("not a chained audit line");
        String content = line.substring(0, at) + "}";
        String claimed = line.substring(at + HASH_FIELD.length(), line.length() - 2);
        return new Parsed(Json.MAPPER.readTree(content), claimed, sha256(content).equals(claimed));
    }

    static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
