package dev.spillway.gateway.audit;

import dev.spillway.gateway.ledger.UsageRecord;
import dev.spillway.gateway.ledger.UsageRecordCodec;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The records every request leaves behind (issue 18): its usage record encoded for the spool and
 * decoded again by the drainer, and its audit record chained (hashed) for the audit log. Run with
 * {@code -prof gc} for the bytes each allocates, a figure a busy machine does not blur.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RecordsBenchmark {
    static final Instant AT = Instant.parse("2026-12-07T12:00:00Z");
    static final UsageRecord USAGE = new UsageRecord("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", AT, "bench", "bench",
            "", "sk-spillway-b", "gpt-4o-mini", "sim", "", "gpt-4o-mini", 212, 128, 0, 0, false, 108_000,
            Optional.of(Duration.ofMillis(3)), Duration.ofMillis(4), 200, 1, false, false,
            "4bf92f3577b34da6a3ce929d0e0e4736", "interactive");
    static final byte[] USAGE_LINE = UsageRecordCodec.encode(USAGE);
    static final AuditRecord AUDIT = new AuditRecord("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", AT, "bench", "bench",
            "", "sk-spillway-b", "POST", "/openai/deployments/gpt-4o-mini/chat/completions", "gpt-4o-mini", 200,
            AuditMode.METADATA, "4bf92f3577b34da6a3ce929d0e0e4736", 4_000, Optional.empty(), Optional.empty());

    private final ChainEncoder chain = new ChainEncoder(0, ChainEncoder.GENESIS, Optional.empty());

    @Benchmark
    public byte[] encodeUsageRecord() {
        return UsageRecordCodec.encode(USAGE);
    }

    @Benchmark
    public UsageRecord decodeUsageRecord() throws IOException {
        return UsageRecordCodec.decode(USAGE_LINE, 0, USAGE_LINE.length);
    }

    @Benchmark
    public byte[] chainAuditRecord() {
        return chain.apply(AUDIT);
    }
}
