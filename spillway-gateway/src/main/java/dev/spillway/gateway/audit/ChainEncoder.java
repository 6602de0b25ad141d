package dev.spillway.gateway.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import dev.spillway.core.wire.LineBytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns audit records into hash-chained lines: {@code {"seq":N,...,"prev":H(N-1),"hash":H(N)}}
 * where {@code H(N)} is computed over the line's bytes up to (not including) {@code ,"hash"}
 * followed by {@code }}. Editing any byte of a record breaks its hash; deleting one breaks the
 * next record's {@code prev} and the {@code seq} run. With a signing key ({@code audit.chain-keys})
 * the line also names the key ({@code "chain_key":"ID"}) and {@code H} is HMAC-SHA256 under it, so a
 * chain recomputed after an edit, by someone without the key, does not verify; without one,
 * {@code H} is plain SHA-256 (records written before keys were configured). Runs on the chain
 * writer thread only; {@link #head()} may be read from any thread.
 */
final class ChainEncoder implements Function<AuditRecord, byte[]> {
    static final String GENESIS = "0".repeat(64);
    static final String HASH_FIELD = ",\"hash\":\"";
    /** Names the chain key a record is signed with ({@code key} is the caller's key prefix). */
    static final String KEY_FIELD = "chain_key";

    private final Optional<AuditKey> signing;
    /** Reused for each record's hash (HMAC when signing, else SHA-256): the encoder runs on one thread. */
    private final MessageDigest digest = newSha256();
    private final Optional<Mac> mac;
    private long seq;
    private String last;
    private volatile ChainFiles.Anchor head;

    ChainEncoder(long lastSeq, String lastHash, Optional<AuditKey> signing) {
        this.seq = lastSeq;
        this.last = lastHash;
        this.signing = signing;
        this.mac = signing.map(ChainEncoder::newMac);
        this.head = new ChainFiles.Anchor(lastSeq, lastHash);
    }

    @Override
    public byte[] apply(AuditRecord record) {
        try {
            byte[] content = content(record);
            String hash = hex(mac.isPresent() ? mac.get().doFinal(content) : digest.digest(content));
            seq++;
            last = hash;
            return chained(content, hash);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code {"seq":N,<the record's fields>,["chain_key":ID,]"prev":H}}, written field by field:
     * the bytes Jackson writes for the same fields as a tree, without building one per record.
     */
    private byte[] content(AuditRecord record) throws IOException {
        LineBytes out = new LineBytes();
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("seq", seq + 1);
            record.writeFields(g);
            if (signing.isPresent()) g.writeStringField(KEY_FIELD, signing.get().id());
            g.writeStringField("prev", last);
            g.writeEndObject();
        }
        return out.bytes();
    }

    /** The content's UTF-8 bytes without their closing brace, then {@code ,"hash":"H"}}. */
    private static byte[] chained(byte[] content, String hash) {
        byte[] tail = (HASH_FIELD + hash + "\"}").getBytes(StandardCharsets.US_ASCII);
        byte[] line = Arrays.copyOf(content, content.length - 1 + tail.length);
        System.arraycopy(tail, 0, line, content.length - 1, tail.length);
        return line;
    }

    /** The seq and hash of the last record encoded: after a commit, the durable head of the chain. */
    ChainFiles.Anchor head() {
        return head;
    }

    /** Called by the chain writer after each fsync'd group (all encoded records are durable). */
    void committed() {
        head = new ChainFiles.Anchor(seq, last);
    }

    /** A parsed line: its content (without the hash), the hash it claims, and the hashed text. */
    record Parsed(JsonNode content, String claimed, String hashed) {
        /** The signing key id, or empty for an unkeyed (SHA-256) record. */
        Optional<String> keyId() {
            return content.hasNonNull(KEY_FIELD) ? Optional.of(content.path(KEY_FIELD).asText()) : Optional.empty();
        }
    }

    /** How one record's hash checks out. */
    enum Check { INTACT, EDITED, UNKNOWN_KEY }

    static Parsed parse(String line) throws IOException {
        int at = line.lastIndexOf(HASH_FIELD);
        if (at < 0 || !line.endsWith("\"}")) throw new IOException("not a chained audit line");
        String content = line.substring(0, at) + "}";
        String claimed = line.substring(at + HASH_FIELD.length(), line.length() - 2);
        return new Parsed(Json.MAPPER.readTree(content), claimed, content);
    }

    /** Recomputes a record's hash: SHA-256 if unkeyed, else HMAC under the key it names. */
    static Check check(Parsed p, Keyring keys) {
        Optional<String> id = p.keyId();
        if (id.isEmpty()) return sha256(p.hashed()).equals(p.claimed()) ? Check.INTACT : Check.EDITED;
        Optional<AuditKey> key = keys.byId(id.get());
        if (key.isEmpty()) return Check.UNKNOWN_KEY;
        return MessageDigest.isEqual(hmac(key.get(), p.hashed()).getBytes(StandardCharsets.US_ASCII),
                p.claimed().getBytes(StandardCharsets.US_ASCII)) ? Check.INTACT : Check.EDITED;
    }

    static String hmac(AuditKey key, String text) {
        return hmac(key, text.getBytes(StandardCharsets.UTF_8));
    }

    static String hmac(AuditKey key, byte[] bytes) {
        return hex(newMac(key).doFinal(bytes));
    }

    private static Mac newMac(AuditKey key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.material(), "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) {
        return hex(newSha256().digest(bytes));
    }

    private static String hex(byte[] hash) {
        return HexFormat.of().formatHex(hash);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
