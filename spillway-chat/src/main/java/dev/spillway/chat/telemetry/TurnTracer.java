package dev.spillway.chat.telemetry;

import dev.spillway.chat.flow.FlowListener;
import dev.spillway.chat.flow.StepRecord;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * One OpenTelemetry trace per chat turn: a {@code chat turn} span (user, conversation, a hash of
 * the sign-in session), a {@code session} span for loading the conversation, and one span per
 * flow step ({@code rewrite}, {@code retrieve}, {@code answer}, {@code follow-ups}) as a
 * {@link FlowListener}. The model calls run inside their step's span and carry it to the gateway
 * as a W3C {@code traceparent} ({@link #inject}), and the gateway continues it, so one trace
 * shows the turn down to the backend call. Thread-safe; a turn's spans live on the thread that
 * runs it. One per server, closed with it (flushes the exporter).
 */
public final class TurnTracer implements FlowListener, AutoCloseable {
    static final AttributeKey<String> USER = AttributeKey.stringKey("spillway.chat.user");
    static final AttributeKey<String> CONVERSATION = AttributeKey.stringKey("spillway.chat.conversation");
    static final AttributeKey<String> SESSION = AttributeKey.stringKey("spillway.chat.session");
    static final AttributeKey<Long> ELAPSED_MS = AttributeKey.longKey("spillway.chat.step.ms");

    private final Tracer tracer;
    private final AutoCloseable shutdown;
    private final ThreadLocal<Deque<Open>> open = ThreadLocal.withInitial(ArrayDeque::new);

    public TurnTracer(OpenTelemetry otel, AutoCloseable shutdown) {
        this.tracer = otel.getTracer("dev.spillway.chat");
        this.shutdown = shutdown;
    }

    /** No spans, no traceparent (tests that do not look at traces). */
    public static TurnTracer none() {
        return new TurnTracer(OpenTelemetry.noop(), () -> { });
    }

    /**
     * An SDK that samples every turn and exports to {@code otlpEndpoint} (OTLP over HTTP) when
     * given; without one, spans get real ids (so the gateway's trace joins the chat's) but go
     * nowhere.
     */
    public static TurnTracer create(String serviceName, Optional<URI> otlpEndpoint) {
        // Without a processor the SDK hands out invalid span contexts and nothing would propagate.
        SpanExporter exporter = otlpEndpoint.<SpanExporter>map(u -> OtlpHttpSpanExporter.builder()
                .setEndpoint(u.toString()).build()).orElseGet(SpanExporter::composite);
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), serviceName))))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                .build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider).build();
        return new TurnTracer(sdk, sdk);
    }

    /** Starts a turn's root span and makes it current on this thread until the turn is closed. */
    public Turn startTurn(String userId, String conversationId, String sessionHash) {
        Span span = tracer.spanBuilder("chat turn").setSpanKind(SpanKind.SERVER).setNoParent()
                .setAttribute(USER, userId).setAttribute(CONVERSATION, conversationId).setAttribute(SESSION, sessionHash)
                .startSpan();
        return new Turn(span, span.makeCurrent());
    }

    /** Starts a child span of the current one (the turn's {@code session} span). */
    public Turn startChild(String name) {
        Span span = tracer.spanBuilder(name).startSpan();
        return new Turn(span, span.makeCurrent());
    }

    /** Adds the current trace as {@code traceparent} to an outgoing request. */
    public static void inject(BiConsumer<String, String> header) {
        W3CTraceContextPropagator.getInstance().inject(Context.current(), header, (h, k, v) -> h.accept(k, v));
    }

    @Override
    public void stepStarted(String step) {
        Span span = tracer.spanBuilder(step).startSpan();
        open.get().push(new Open(span, span.makeCurrent()));
    }

    @Override
    public void stepFinished(StepRecord record) {
        Open o = open.get().poll();
        if (o == null) return;
        o.span().setAttribute(ELAPSED_MS, record.elapsed().toMillis());
        o.end();
    }

    @Override
    public void stepFailed(String step, RuntimeException error) {
        Open o = open.get().poll();
        if (o == null) return;
        o.span().setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
        o.end();
    }

    @Override
    public void close() throws Exception {
        shutdown.close();
    }

    private record Open(Span span, Scope scope) {
        void end() {
            scope.close();
            span.end();
        }
    }

    /** An open span made current; {@link #close()} ends it. Not thread-safe; one per turn. */
    public static final class Turn implements AutoCloseable {
        private final Span span;
        private final Scope scope;

        Turn(Span span, Scope scope) {
            this.span = span;
            this.scope = scope;
        }

        /** Marks the span failed (a failed or stopped turn) with what the person was told. */
        public void fail(String message) {
            span.setStatus(StatusCode.ERROR, message);
        }

        public String traceId() {
            return span.getSpanContext().getTraceId();
        }

        @Override
        public void close() {
            scope.close();
            span.end();
        }
    }
}
