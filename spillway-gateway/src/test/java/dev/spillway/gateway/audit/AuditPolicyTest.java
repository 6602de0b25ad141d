package dev.spillway.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.gateway.pipeline.Caller;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Reply;
import dev.spillway.gateway.testkit.Exchanges;
import dev.spillway.gateway.testkit.FakeStream;
import dev.spillway.gateway.testkit.PolicyHarness;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The audit policy alone, writing to a sink that records in memory. */
class AuditPolicyTest {
    /** Keeps records and captured bodies in memory. */
    static final class RecordingAuditSink implements AuditSink {
        final List<AuditRecord> records = new CopyOnWriteArrayList<>();
        final Map<String, ByteArrayOutputStream> bodies = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public BodyCapture startBody(String requestId, String direction, Instant at) {
            ByteArrayOutputStream out = bodies.computeIfAbsent(direction, d -> new ByteArrayOutputStream());
            return new BodyCapture() {
                @Override
                public void write(byte[] chunk) {
                    out.writeBytes(chunk);
                }

                @Override
                public CompletionStage<BodyRef> finish() {
                    return CompletableFuture.completedFuture(new BodyRef(direction, out.size(), out.size(), false,
                            false, "", -1, Optional.empty()));
                }
            };
        }

        @Override
        public CompletionStage<Void> write(AuditRecord record) {
            records.add(record);
            return CompletableFuture.completedFuture(null);
        }

        String body(String direction) {
            return bodies.get(direction).toString(StandardCharsets.UTF_8);
        }
    }

    final RecordingAuditSink sink = new RecordingAuditSink();

    private PolicyHarness harness(AuditMode chatMode) {
        AuditConfig defaults = AuditConfig.defaults(Path.of("unused"));
        AuditConfig config = new AuditConfig(AuditMode.OFF, Map.of("chat", chatMode), defaults.dir(),
                defaults.maxBodySize(), defaults.maxInFlight(), true, List.of(), defaults.retention(),
                defaults.segmentSize(), false, defaults.commitInterval(), defaults.durability(), defaults.protection());
        return new PolicyHarness(new AuditPolicy(config, sink));
    }

    private static Exchange fromApp(String app) {
        Exchange e = Exchanges.chat("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true}");
        e.caller(new Caller("k", app, "", "", ""));
        return e;
    }

    @Test
    void fullModeCapturesTheRequestAndTheStreamedResponseAndWritesTheRecordAtCompletion() {
        FakeStream source = new FakeStream();
        Exchange e = fromApp("chat");
        PolicyHarness.read(harness(AuditMode.FULL).streams(source).run(e).result());
        source.push("data: {\"a\":1}\n\n");
        assertThat(sink.records).isEmpty();
        PolicyHarness.complete(e, 200);
        assertThat(sink.records).singleElement().satisfies(r -> {
            assertThat(r.mode()).isEqualTo(AuditMode.FULL);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.requestBody()).isPresent();
            assertThat(r.responseBody()).isPresent();
        });
        assertThat(sink.body("request")).contains("\"stream\":true");
        assertThat(sink.body("response")).isEqualTo("data: {\"a\":1}\n\n");
    }

    @Test
    void metadataModeWritesARecordWithoutBodies() {
        Exchange e = fromApp("chat");
        harness(AuditMode.METADATA).run(e);
        PolicyHarness.complete(e, 429);
        assertThat(sink.records).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.requestBody()).isEmpty();
        });
        assertThat(sink.bodies).isEmpty();
    }

    @Test
    void anAppThatIsNotAuditedLeavesNoRecord() {
        Exchange e = fromApp("billing");
        Reply r = harness(AuditMode.FULL).run(e).result();
        PolicyHarness.complete(e, 200);
        assertThat(r.status()).isEqualTo(200);
        assertThat(sink.records).isEmpty();
    }
}
