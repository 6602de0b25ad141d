package dev.spillway.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.config.DataSize;
import dev.spillway.core.config.Secret;
import dev.spillway.gateway.ledger.Durability;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encryption at rest of audit bodies (issue 10 item 7): AES-256-GCM under {@code audit.body-keys},
 * the key id recorded per body so keys rotate; the chain and the body hashes still verify.
 */
class AuditBodyEncryptionTest {
    private static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");
    private static final AuditKey B1 = new AuditKey("b1", Secret.literal("body-key-one-0123456789abcdefghijklmnopq"));
    private static final AuditKey B2 = new AuditKey("b2", Secret.literal("body-key-two-0123456789abcdefghijklmnopq"));
    private static final String PROMPT = "{\"content\":\"the quarterly numbers are confidential\"}";
    @TempDir
    Path dir;

    private AuditConfig config(Keyring bodyKeys) {
        return new AuditConfig(AuditMode.FULL, Map.of(), dir, DataSize.ofMebibytes(4), DataSize.ofMebibytes(8), true,
                List.of(), Duration.ofDays(30), DataSize.ofMebibytes(1), false, Duration.ZERO, Durability.STRICT,
                new AuditProtection(Keyring.NONE, bodyKeys, Optional.empty(), Optional.empty(), Duration.ofSeconds(10)));
    }

    private void capture(Keyring keys, String id, String text) {
        try (FileAuditSink sink = new FileAuditSink(config(keys))) {
            BodyCapture c = sink.startBody(id, "request", T0);
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < bytes.length; i += 7000) {
                c.write(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 7000)));
            }
            BodyRef ref = c.finish().toCompletableFuture().join();
            sink.write(new AuditRecord(id, T0, "billing", "finance", "alice", "sk-spw-ab", "POST", "/v1/chat/completions",
                    "gpt-4o", 200, AuditMode.FULL, "", 1000, Optional.of(ref), Optional.empty())).toCompletableFuture().join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode record(String id) throws Exception {
        return AuditReader.find(dir, id).orElseThrow();
    }

    private String plaintext(String id, Keyring keys) throws Exception {
        return new String(AuditReader.plaintext(dir, record(id), "request_body", keys).orElseThrow(), StandardCharsets.UTF_8);
    }

    @Test
    void encryptedBodyRoundTripsAndItsStoredBytesHoldNoPlaintext() throws Exception {
        capture(new Keyring(List.of(B1)), "r1", PROMPT);

        byte[] stored = AuditReader.body(dir, record("r1"), "request_body").orElseThrow();
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("confidential").doesNotContain("quarterly");
        assertThat(stored).hasSize(PROMPT.length() + 16);
        assertThat(record("r1").path("request_body").path("encryption").path("key").asText()).isEqualTo("b1");
        assertThat(plaintext("r1", new Keyring(List.of(B1)))).isEqualTo(PROMPT);
        assertThat(AuditVerifier.verify(dir).problems()).as("the chain and the body hash need no key").isEmpty();
    }

    @Test
    void largeBodyInItsOwnFileIsEncryptedToo() throws Exception {
        String big = "{\"content\":\"" + "confidential ".repeat(120_000) + "\"}";
        capture(new Keyring(List.of(B1)), "r2", big);

        assertThat(record("r2").path("request_body").has("offset")).as("a file of its own").isFalse();
        byte[] stored = AuditReader.body(dir, record("r2"), "request_body").orElseThrow();
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("confidential");
        assertThat(plaintext("r2", new Keyring(List.of(B1)))).isEqualTo(big);
        assertThat(AuditVerifier.verify(dir).problems()).isEmpty();
    }

    @Test
    void wrongKeyValueOrMissingKeyIdFailsNamingTheKey() {
        capture(new Keyring(List.of(B1)), "r1", PROMPT);
        AuditKey impostor = new AuditKey("b1", Secret.literal("not-the-body-key-0123456789abcdefghijklm"));

        assertThatThrownBy(() -> plaintext("r1", new Keyring(List.of(impostor))))
                .isInstanceOf(AuditKeyException.class).hasMessageContaining("does not decrypt with key 'b1'");
        assertThatThrownBy(() -> plaintext("r1", new Keyring(List.of(B2))))
                .isInstanceOf(AuditKeyException.class).hasMessageContaining("key 'b1', which is not configured");
    }

    @Test
    void rotatedKeyEncryptsNewBodiesWhileOldOnesStayReadableWithTheOldId() throws Exception {
        capture(new Keyring(List.of(B1)), "old", PROMPT);
        capture(new Keyring(List.of(B2, B1)), "new", PROMPT);

        assertThat(record("new").path("request_body").path("encryption").path("key").asText()).isEqualTo("b2");
        Keyring both = new Keyring(List.of(B2, B1));
        assertThat(plaintext("old", both)).isEqualTo(PROMPT);
        assertThat(plaintext("new", both)).isEqualTo(PROMPT);
        assertThatThrownBy(() -> plaintext("old", new Keyring(List.of(B2)))).hasMessageContaining("'b1'");
    }

    @Test
    void bodiesWrittenWithoutAKeyStayReadableAsTheyAre() throws Exception {
        capture(Keyring.NONE, "plain", PROMPT);

        assertThat(record("plain").path("request_body").has("encryption")).isFalse();
        assertThat(plaintext("plain", new Keyring(List.of(B1)))).isEqualTo(PROMPT);
    }
}
