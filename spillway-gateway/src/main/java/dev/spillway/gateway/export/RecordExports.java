package dev.spillway.gateway.export;

import dev.spillway.gateway.audit.AuditRecord;
import dev.spillway.gateway.audit.AuditSink;
import dev.spillway.gateway.audit.BodyCapture;
import dev.spillway.gateway.ledger.UsageLedger;
import dev.spillway.gateway.ledger.UsageRecord;
import dev.spillway.gateway.ledger.UsageRecordCodec;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The configured exporters, and the ledger and audit sink that feed them: a record is shipped once
 * its own store has made it durable (its stage completed), so a shipped record is never one the
 * gateway lost. Thread-safe; one per gateway, opened and closed with {@code ledger.Accounting}.
 */
public final class RecordExports implements AutoCloseable {
    private final ExportConfig config;
    private final List<RecordExport> exports;

    RecordExports(ExportConfig config, List<RecordExport> exports) {
        this.config = config;
        this.exports = List.copyOf(exports);
    }

    public static RecordExports open(ExportConfig config) {
        List<RecordExport> exports = new ArrayList<>();
        if (config.enabled()) {
            config.otlpEndpoint().ifPresent(u -> exports.add(OtlpLogExport.http(u, config.serviceName(), config.queueSize())));
            config.dir().ifPresent(d -> exports.add(new JsonLinesExport(d, config.maxFileSize().bytes(), config.maxFiles(),
                    config.queueSize())));
        }
        return new RecordExports(config, exports);
    }

    public boolean active() {
        return !exports.isEmpty();
    }

    /** {@code ledger}, shipping each record it has made durable. */
    public UsageLedger wrap(UsageLedger ledger) {
        if (!active() || !config.records().contains(ExportConfig.Kind.USAGE)) return ledger;
        return record -> ledger.append(record).thenRun(() -> ship("usage", record.requestId(), record.occurredAt(),
                usage(record)));
    }

    /** {@code sink}, shipping each audit record once it is on disk. */
    public AuditSink wrap(AuditSink sink) {
        if (!active() || !config.records().contains(ExportConfig.Kind.AUDIT)) return sink;
        return new AuditSink() {
            @Override
            public BodyCapture startBody(String requestId, String direction, Instant at) {
                return sink.startBody(requestId, direction, at);
            }

            @Override
            public CompletionStage<Void> write(AuditRecord record) {
                return sink.write(record).thenRun(() -> ship("audit", record.requestId(), record.occurredAt(),
                        record.toJson()));
            }
        };
    }

    private void ship(String kind, String requestId, Instant at, ObjectNode fields) {
        for (RecordExport e : exports) e.ship(kind, requestId, at, fields);
    }

    private static ObjectNode usage(UsageRecord record) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(UsageRecordCodec.encode(record));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records not shipped, over all exporters. */
    public long dropped() {
        return exports.stream().mapToLong(RecordExport::dropped).sum();
    }

    @Override
    public void close() {
        exports.forEach(RecordExport::close);
    }
}
