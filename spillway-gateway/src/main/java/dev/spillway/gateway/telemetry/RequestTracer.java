package dev.spillway.gateway.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.MultiMap;
import java.time.Instant;

/**
 * Starts OpenTelemetry spans for requests ({@link RequestSpan}, kind SERVER) and their backend
 * attempts (kind CLIENT), continuing an incoming W3C {@code traceparent}. Even unsampled or with
 * traces off, every request gets a valid trace id for the response header and the ledger.
 * Thread-safe; one per gateway, closed at shutdown (flushes the exporter).
 */
public final class RequestTracer implements AutoCloseable {
    static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    private static final TextMapGetter<MultiMap> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(MultiMap carrier) {
            return carrier.names();
        }

        @Override
        public String get(MultiMap carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private static final IdGenerator IDS = IdGenerator.random();
    private final Tracer tracer;
    private final AutoCloseable shutdown;

    public RequestTracer(OpenTelemetry otel, AutoCloseable shutdown) {
        this.tracer = otel.getTracer("dev.spillway.gateway");
        this.shutdown = shutdown;
    }

    /** The SDK as configured: ratio sampling (parent-based), OTLP export when an endpoint is set. */
    public static RequestTracer create(TelemetryConfig config) {
        Sampler sampler = config.traces()
                ? Sampler.parentBased(Sampler.traceIdRatioBased(config.samplingRatio()))
                : Sampler.alwaysOff();
        SdkTracerProviderBuilder provider = SdkTracerProvider.builder()
                .setSampler(sampler)
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, config.serviceName()))));
        // Without any processor the SDK hands out invalid (all-zero) span contexts, which would
        // break traceparent propagation; a no-op exporter keeps ids real when nothing is exported.
        SpanExporter exporter = config.traces() && config.otlpEndpoint().isPresent()
                ? exporter(config, config.otlpEndpoint().get().toString())
                : SpanExporter.composite();
        provider.addSpanProcessor(BatchSpanProcessor.builder(exporter).build());
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider.build()).build();
        return new RequestTracer(sdk, sdk);
    }

    private static SpanExporter exporter(TelemetryConfig config, String endpoint) {
        return switch (config.otlpProtocol()) {
            case HTTP_PROTOBUF -> OtlpHttpSpanExporter.builder().setEndpoint(endpoint).build();
            case GRPC -> OtlpGrpcSpanExporter.builder().setEndpoint(endpoint).build();
        };
    }

    /**
     * Starts the span of one client request. {@code operation} is the GenAI operation name
     * ({@code chat}, {@code text_completion}, {@code embeddings}); {@code model} the deployment
     * or model the client named.
     */
    public RequestSpan startRequest(MultiMap inboundHeaders, String operation, String model, Instant start) {
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), inboundHeaders, HEADERS);
        Span span = tracer.spanBuilder(operation + " " + model)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setStartTimestamp(start)
                .startSpan();
        // Set once sampled, not on the builder: a builder allocates its attribute map whether or
        // not the span is then sampled (at 10 % most are not), and the samplers the gateway
        // configures (ratio, parent-based) never read attributes.
        if (span.isRecording()) span.setAttribute(GenAi.OPERATION_NAME, operation).setAttribute(GenAi.REQUEST_MODEL, model);
        return new RequestSpan(tracer, span, parent.with(span), operation, model, traceId(span, parent));
    }

    /** The span's trace id; an SDK without processors hands out invalid spans, so fall back. */
    private static String traceId(Span span, Context parent) {
        if (span.getSpanContext().isValid()) return span.getSpanContext().getTraceId();
        SpanContext incoming = Span.fromContext(parent).getSpanContext();
        return incoming.isValid() ? incoming.getTraceId() : IDS.generateTraceId();
    }

    @Override
    public void close() throws Exception {
        shutdown.close();
    }
}
