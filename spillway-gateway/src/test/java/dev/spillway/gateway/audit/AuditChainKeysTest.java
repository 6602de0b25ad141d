package dev.spillway.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.spillway.core.config.DataSize;
import dev.spillway.core.config.Secret;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.ledger.Durability;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tamper evidence that needs no trust in the log's own files (issue 10 item 6): an HMAC-keyed
 * chain, heads anchored outside the audit directory, and what {@code audit verify} then catches
 * that a plain SHA-256 chain cannot (a cut tail, a chain recomputed after an edit).
 */
class AuditChainKeysTest {
    private static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");
    private static final AuditKey K1 = new AuditKey("k1", Secret.literal("chain-key-one-0123456789abcdefghijklmnop"));
    private static final AuditKey K2 = new AuditKey("k2", Secret.literal("chain-key-two-0123456789abcdefghijklmnop"));
    @TempDir
    Path dir;
    @TempDir
    Path elsewhere;

    private HeadAnchors anchors() {
        return new FileHeadAnchors(elsewhere.resolve("audit-heads.jsonl"));
    }

    private AuditConfig config(Keyring keys) {
        return new AuditConfig(AuditMode.METADATA, Map.of(), dir, DataSize.ofMebibytes(1), DataSize.ofMebibytes(1), true,
                List.of(), Duration.ofDays(30), DataSize.ofMebibytes(1), false, Duration.ZERO, Durability.STRICT,
                new AuditProtection(keys, Keyring.NONE, Optional.empty(), Optional.empty(), Duration.ofSeconds(10)));
    }

    private static AuditRecord record(int i) {
        return new AuditRecord("req-" + i, T0.plusSeconds(i), "billing", "finance", "alice", "sk-spw-ab", "POST",
                "/v1/chat/completions", "gpt-4o", 200, AuditMode.METADATA, "", 1000, Optional.empty(), Optional.empty());
    }

    /** Writes {@code n} records, then anchors the head when {@code anchor} is set. */
    private void write(Keyring keys, int first, int n, boolean anchor) throws Exception {
        try (FileAuditSink sink = new FileAuditSink(config(keys))) {
            for (int i = first; i < first + n; i++) sink.write(record(i)).toCompletableFuture().join();
            if (anchor) sink.anchor(List.of(anchors()), T0.plusSeconds(3600));
        }
    }

    private Path segment() throws Exception {
        return ChainFiles.segments(dir).getFirst();
    }

    /**
     * What someone with write access to the files but not the key can do: edit record {@code seq}
     * and recompute every hash from there on, signing with {@code key} (empty: plain SHA-256, with
     * the key id removed).
     */
    private void editAndRecompute(long seq, Optional<AuditKey> key) throws Exception {
        List<String> out = new ArrayList<>();
        String prev = ChainEncoder.GENESIS;
        for (Path segment : ChainFiles.segments(dir)) {
            for (String line : ChainFiles.read(segment).lines()) {
                ChainEncoder.Parsed p = ChainEncoder.parse(line);
                ObjectNode c = (ObjectNode) p.content();
                if (c.path("seq").asLong() < seq) {
                    out.add(line);
                    prev = p.claimed();
                    continue;
                }
                if (c.path("seq").asLong() == seq) c.put("status", 500);
                c.remove(ChainEncoder.KEY_FIELD);
                c.remove("prev");
                key.ifPresent(k -> c.put(ChainEncoder.KEY_FIELD, k.id()));
                c.put("prev", prev);
                String content = Json.MAPPER.writeValueAsString(c);
                prev = key.isPresent() ? ChainEncoder.hmac(key.get(), content) : ChainEncoder.sha256(content);
                out.add(content.substring(0, content.length() - 1) + ChainEncoder.HASH_FIELD + prev + "\"}");
            }
            Files.delete(segment);
        }
        Files.writeString(dir.resolve("chain/audit-000000000001.log"), String.join("\n", out) + "\n");
    }

    @Test
    void aChainKeyThatCannotBeReadStopsTheSinkFromStarting() {
        AuditKey unset = new AuditKey("k9", Secret.parse("${env:SPILLWAY_TEST_SURELY_UNSET}", Map.of()));

        assertThatThrownBy(() -> new FileAuditSink(config(new Keyring(List.of(unset)))))
                .hasMessageContaining("SPILLWAY_TEST_SURELY_UNSET is not set");
    }

    @Test
    void keyedChainNamesItsKeyAndVerifiesWithIt() throws Exception {
        write(new Keyring(List.of(K1)), 1, 3, false);

        assertThat(Files.readString(segment())).contains("\"chain_key\":\"k1\"");
        AuditVerifier.Report report = AuditVerifier.verify(dir, new Keyring(List.of(K1)), List.of());
        assertThat(report.problems()).isEmpty();
        assertThat(report.records()).isEqualTo(3);
        assertThat(report.unkeyed()).isZero();
    }

    @Test
    void chainRecomputedAfterAnEditWithAGuessedKeyIsDetected() throws Exception {
        write(new Keyring(List.of(K1)), 1, 4, false);
        AuditKey guess = new AuditKey("k1", Secret.literal("not-the-key-0123456789abcdefghijklmnopqr"));
        editAndRecompute(2, Optional.of(guess));

        assertThat(AuditVerifier.verify(dir, new Keyring(List.of(K1)), List.of()).problems())
                .hasSize(3).allMatch(p -> p.contains("hash mismatch, the record was edited"));
    }

    @Test
    void chainRecomputedWithoutTheKeyAsPlainSha256IsDetected() throws Exception {
        write(new Keyring(List.of(K1)), 1, 4, false);
        editAndRecompute(3, Optional.empty());

        assertThat(AuditVerifier.verify(dir, new Keyring(List.of(K1)), List.of()).problems())
                .hasSize(2).allMatch(p -> p.contains("unkeyed record after keyed ones"));
    }

    @Test
    void wholeChainRewrittenUnkeyedIsCaughtByTheAnchoredHead() throws Exception {
        write(new Keyring(List.of(K1)), 1, 4, true);
        editAndRecompute(1, Optional.empty());

        AuditVerifier.Report report = AuditVerifier.verify(dir, new Keyring(List.of(K1)), List.of(anchors()));
        assertThat(report.anchorsChecked()).isEqualTo(1);
        assertThat(report.problems()).singleElement().asString()
                .contains("anchor file").contains("(seq 4) does not match record seq 4").contains("rewritten");
    }

    @Test
    void tailCutAfterTheAnchorIsDetected() throws Exception {
        write(new Keyring(List.of(K1)), 1, 5, true);
        List<String> lines = ChainFiles.read(segment()).lines();
        Files.writeString(segment(), String.join("\n", lines.subList(0, 3)) + "\n");

        assertThat(AuditVerifier.verify(dir, new Keyring(List.of(K1)), List.of()).problems())
                .as("the chain alone cannot tell").isEmpty();
        assertThat(AuditVerifier.verify(dir, new Keyring(List.of(K1)), List.of(anchors())).problems())
                .singleElement().asString().contains("past the end of the chain (seq 3)").contains("cut from the tail");
    }

    @Test
    void tailCutIsDetectedAgainstAHeadSentToTheAnchorUrl() throws Exception {
        List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        service.createContext("/heads", exchange -> {
            if (exchange.getRequestMethod().equals("POST")) {
                assertThat(exchange.getRequestHeaders().getFirst("authorization")).isEqualTo("Bearer t0ken");
                received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            }
            byte[] answer = ("[" + String.join(",", received) + "]").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        service.start();
        try {
            HeadAnchors url = new UrlHeadAnchors(URI.create("http://127.0.0.1:" + service.getAddress().getPort()
                    + "/heads"), Optional.of(Secret.literal("t0ken")));
            try (FileAuditSink sink = new FileAuditSink(config(new Keyring(List.of(K1))))) {
                sink.write(record(1)).toCompletableFuture().join();
                sink.write(record(2)).toCompletableFuture().join();
                sink.anchor(List.of(url), T0);
            }
            Files.writeString(segment(), ChainFiles.read(segment()).lines().getFirst() + "\n");

            assertThat(received).singleElement().asString().contains("\"seq\":2");
            assertThat(AuditVerifier.verify(dir, new Keyring(List.of(K1)), List.of(url)).problems())
                    .singleElement().asString().contains("anchor URL").contains("cut from the tail");
        } finally {
            service.stop(0);
        }
    }

    @Test
    void unkeyedChainRecomputedAfterAnEditVerifiesAloneButNotAgainstItsAnchor() throws Exception {
        write(Keyring.NONE, 1, 4, true);
        editAndRecompute(2, Optional.empty());

        assertThat(AuditVerifier.verify(dir).problems()).as("the weakness of an unkeyed chain").isEmpty();
        assertThat(AuditVerifier.verify(dir, Keyring.NONE, List.of(anchors())).problems())
                .singleElement().asString().contains("does not match record seq 4");
    }

    @Test
    void oldUnkeyedRecordsStillVerifyAfterKeysAreConfigured() throws Exception {
        write(Keyring.NONE, 1, 2, false);
        write(new Keyring(List.of(K1)), 3, 2, false);

        AuditVerifier.Report report = AuditVerifier.verify(dir, new Keyring(List.of(K1)), List.of());
        assertThat(report.problems()).isEmpty();
        assertThat(report.records()).isEqualTo(4);
        assertThat(report.unkeyed()).isEqualTo(2);
    }

    @Test
    void rotatedKeysVerifyWhileTheOldIdStaysConfiguredAndAreNamedWhenItDoesNot() throws Exception {
        write(new Keyring(List.of(K1)), 1, 2, false);
        write(new Keyring(List.of(K2, K1)), 3, 2, false);

        assertThat(AuditVerifier.verify(dir, new Keyring(List.of(K2, K1)), List.of()).problems()).isEmpty();
        assertThat(AuditVerifier.verify(dir, new Keyring(List.of(K2)), List.of()).problems())
                .hasSize(2).allMatch(p -> p.contains("signed with key 'k1', which is not configured"));
    }
}
