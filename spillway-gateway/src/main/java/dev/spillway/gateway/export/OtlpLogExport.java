package dev.spillway.gateway.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.resources.Resource;
import java.net.URI;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ships records as OpenTelemetry log records over OTLP/HTTP (protobuf), batched by the SDK's
 * {@link BatchLogRecordProcessor} on its own thread (a full queue drops). Each log record's body
 * is the record's JSON; {@code event.name} is {@code spillway.usage} or {@code spillway.audit} and
 * the request id, app and deployment are attributes, so a collector can route and index without
 * parsing. Thread-safe; one per gateway.
 */
public final class OtlpLogExport implements RecordExport {
    static final AttributeKey<String> EVENT_NAME = AttributeKey.stringKey("event.name");
    static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("spillway.request.id");
    static final AttributeKey<String> APP = AttributeKey.stringKey("spillway.app");
    static final AttributeKey<String> DEPLOYMENT = AttributeKey.stringKey("spillway.deployment");
    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

    private final SdkLoggerProvider provider;
    private final Logger logger;
    private final AtomicLong dropped = new AtomicLong();

    OtlpLogExport(LogRecordExporter exporter, String serviceName, int queueSize) {
        LogRecordProcessor batch = BatchLogRecordProcessor.builder(new Counting(exporter)).setMaxQueueSize(queueSize)
                .setScheduleDelay(1, TimeUnit.SECONDS).build();
        this.provider = SdkLoggerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, serviceName))))
                .addLogRecordProcessor(batch).build();
        this.logger = provider.get("dev.spillway.gateway.export");
    }

    public static OtlpLogExport http(URI endpoint, String serviceName, int queueSize) {
        return new OtlpLogExport(OtlpHttpLogRecordExporter.builder().setEndpoint(endpoint.toString()).build(),
                serviceName, queueSize);
    }

    @Override
    public void ship(String kind, String requestId, Instant at, ObjectNode fields) {
        logger.logRecordBuilder()
                .setTimestamp(at)
                .setSeverity(Severity.INFO)
                .setBody(fields.toString())
                .setAttribute(EVENT_NAME, "spillway." + kind)
                .setAttribute(REQUEST_ID, requestId)
                .setAttribute(APP, fields.path("app").asText(""))
                .setAttribute(DEPLOYMENT, fields.path("deployment").asText(""))
                .emit();
    }

    /** Records in batches the collector did not take (the SDK logs each failed export). */
    @Override
    public long dropped() {
        return dropped.get();
    }

    /** Counts the records of each failed export. */
    private final class Counting implements LogRecordExporter {
        private final LogRecordExporter inner;

        Counting(LogRecordExporter inner) {
            this.inner = inner;
        }

        @Override
        public CompletableResultCode export(Collection<LogRecordData> logs) {
            CompletableResultCode result = inner.export(logs);
            int n = logs.size();
            result.whenComplete(() -> {
                if (!result.isSuccess()) dropped.addAndGet(n);
            });
            return result;
        }

        @Override
        public CompletableResultCode flush() {
            return inner.flush();
        }

        @Override
        public CompletableResultCode shutdown() {
            return inner.shutdown();
        }
    }

    /** Flushes what is queued (at most 10 s) and stops the exporter's thread. */
    @Override
    public void close() {
        provider.shutdown().join(10, TimeUnit.SECONDS);
    }
}
