package dev.spillway.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.config.Secret;
import dev.spillway.core.wire.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChainEncoderTest {
    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00.123456789Z");
    private static final AuditKey KEY = new AuditKey("k1", Secret.literal("chain-key-one-0123456789abcdefghijklmnop"));

    private static final AuditRecord METADATA = new AuditRecord("req-1", T0, "billing", "finance", "alice", "sk-spw-ab",
            "POST", "/openai/deployments/gpt-4o/chat/completions", "gpt-4o", 200, AuditMode.METADATA,
            "4bf92f3577b34da6a3ce929d0e0e4736", 4_000, Optional.empty(), Optional.empty());
    private static final AuditRecord FULL = new AuditRecord("req-2", T0, "billing", "finance", "ünïcode \"q\"",
            "sk-spw-ab", "POST", "/v1/chat/completions", "gpt-4o", 429, AuditMode.FULL, "", 12,
            Optional.of(new BodyRef("bodies/2026-12-07/000001.bin", 1024, 900, false, false, "ab".repeat(32), 4096,
                    Optional.of(new BodyCipher.Sealed("b1", "bm9uY2U=")))),
            Optional.of(new BodyRef(null, 70_000, 65_536, true, true, "cd".repeat(32), -1, Optional.empty())),
            List.of("prompt:pii:email:redact", "answer:secrets:aws-key:block"));

    /** The record's fields as a tree, written out here apart from the code, so the two can disagree. */
    private static ObjectNode tree(AuditRecord r) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("id", r.requestId()).put("at", r.occurredAt().toString()).put("app", r.app()).put("team", r.team())
                .put("user", r.user()).put("key", r.keyPrefix()).put("method", r.method()).put("path", r.path())
                .put("deployment", r.deployment()).put("status", r.status()).put("mode", r.mode().name().toLowerCase())
                .put("trace", r.traceId()).put("latency_us", r.latencyMicros());
        r.requestBody().ifPresent(b -> n.set("request_body", body(b)));
        r.responseBody().ifPresent(b -> n.set("response_body", body(b)));
        if (!r.safety().isEmpty()) r.safety().forEach(n.putArray("safety")::add);
        return n;
    }

    private static ObjectNode body(BodyRef b) {
        ObjectNode n = Json.MAPPER.createObjectNode().put("file", b.file());
        if (b.offset() >= 0) n.put("offset", b.offset());
        n.put("bytes_seen", b.bytesSeen()).put("bytes_stored", b.bytesStored()).put("truncated", b.truncated())
                .put("incomplete", b.incomplete()).put("sha256", b.sha256());
        b.sealed().ifPresent(s -> n.set("encryption", Json.MAPPER.createObjectNode()
                .put("alg", BodyCipher.ALGORITHM).put("key", s.keyId()).put("nonce", s.nonce())));
        return n;
    }

    /** The line as the chain defines it: the record's tree between seq and prev, hashed, then the hash spliced in. */
    private static String expected(long seq, String prev, AuditRecord r, Optional<AuditKey> key) throws Exception {
        ObjectNode line = Json.MAPPER.createObjectNode().put("seq", seq);
        line.setAll(tree(r));
        key.ifPresent(k -> line.put(ChainEncoder.KEY_FIELD, k.id()));
        line.put("prev", prev);
        byte[] content = Json.MAPPER.writeValueAsBytes(line);
        String hash = key.isPresent() ? ChainEncoder.hmac(key.get(), content) : ChainEncoder.sha256(content);
        String text = new String(content, StandardCharsets.UTF_8);
        return text.substring(0, text.length() - 1) + ",\"hash\":\"" + hash + "\"}";
    }

    @Test
    void linesHoldTheRecordsTreeBetweenSeqAndPrevAndChainByHash() throws Exception {
        for (Optional<AuditKey> key : List.of(Optional.<AuditKey>empty(), Optional.of(KEY))) {
            ChainEncoder chain = new ChainEncoder(41, ChainEncoder.GENESIS, key);
            String first = new String(chain.apply(METADATA), StandardCharsets.UTF_8);
            assertThat(first).isEqualTo(expected(42, ChainEncoder.GENESIS, METADATA, key));
            String firstHash = ChainEncoder.parse(first).claimed();
            String second = new String(chain.apply(FULL), StandardCharsets.UTF_8);
            assertThat(second).isEqualTo(expected(43, firstHash, FULL, key));
            assertThat(ChainEncoder.check(ChainEncoder.parse(second), new Keyring(key.stream().toList())))
                    .isEqualTo(ChainEncoder.Check.INTACT);
        }
    }

    @Test
    void theExportedTreeHoldsTheChainsFields() {
        for (AuditRecord r : List.of(METADATA, FULL)) assertThat(r.toJson()).isEqualTo(tree(r));
    }

    @Test
    void metadataLineKeepsItsFieldsInTheirOrder() {
        String line = new String(new ChainEncoder(0, ChainEncoder.GENESIS, Optional.empty()).apply(METADATA),
                StandardCharsets.UTF_8);
        assertThat(line).startsWith("{\"seq\":1,\"id\":\"req-1\",\"at\":\"2026-12-07T12:00:00.123456789Z\","
                + "\"app\":\"billing\",\"team\":\"finance\",\"user\":\"alice\",\"key\":\"sk-spw-ab\",\"method\":\"POST\","
                + "\"path\":\"/openai/deployments/gpt-4o/chat/completions\",\"deployment\":\"gpt-4o\",\"status\":200,"
                + "\"mode\":\"metadata\",\"trace\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"latency_us\":4000,"
                + "\"prev\":\"" + ChainEncoder.GENESIS + "\",\"hash\":\"");
    }
}
