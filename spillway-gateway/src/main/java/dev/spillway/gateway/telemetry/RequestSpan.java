package dev.spillway.gateway.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.vertx.core.MultiMap;
import java.time.Instant;

/**
 * The span of one client request, and the factory of its attempt spans. Its trace id goes into
 * the response header {@code x-spillway-trace-id} and the usage ledger. One per request,
 * confined to the request's event loop (not thread-safe).
 */
public final class RequestSpan {
    public static final String TRACE_ID_HEADER = "x-spillway-trace-id";

    private final Tracer tracer;
    private final Span span;
    private final Context context;
    private final String operation;
    private final String model;
    private final String traceId;

    RequestSpan(Tracer tracer, Span span, Context context, String operation, String model, String traceId) {
        this.tracer = tracer;
        this.span = span;
        this.context = context;
        this.operation = operation;
        this.model = model;
        this.traceId = traceId;
    }

    public String traceId() {
        return traceId;
    }

    public boolean sampled() {
        return span.getSpanContext().isSampled();
    }

    /** Adds {@code x-spillway-trace-id} to the response headers. */
    public void addResponseHeaders(MultiMap headers) {
        headers.set(TRACE_ID_HEADER, traceId());
    }

    public void caller(String app) {
        span.setAttribute(GenAi.APP, app);
    }

    /** Starts the CLIENT span of one backend attempt; {@code provider} e.g. {@code azure.ai.openai}. */
    public AttemptSpan startAttempt(String backend, String provider, String serverAddress, int serverPort, Instant start) {
        Span attempt = tracer.spanBuilder(operation + " " + model)
                .setParent(context)
                .setSpanKind(SpanKind.CLIENT)
                .setStartTimestamp(start)
                .startSpan();
        if (attempt.isRecording()) { // as RequestTracer.startRequest: no attribute map for an unsampled span
            attempt.setAttribute(GenAi.OPERATION_NAME, operation)
                    .setAttribute(GenAi.REQUEST_MODEL, model)
                    .setAttribute(GenAi.PROVIDER_NAME, provider)
                    .setAttribute(GenAi.BACKEND, backend)
                    .setAttribute(GenAi.SERVER_ADDRESS, serverAddress)
                    .setAttribute(GenAi.SERVER_PORT, (long) serverPort);
        }
        return new AttemptSpan(attempt, context.with(attempt));
    }

    /** Ends the request span with what was answered and metered. */
    public void end(int status, String backend, String responseModel, long inputTokens, long outputTokens,
            boolean streamed, boolean usageEstimated, Instant end) {
        span.setAttribute(GenAi.HTTP_STATUS, (long) status)
                .setAttribute(GenAi.BACKEND, backend)
                .setAttribute(GenAi.INPUT_TOKENS, inputTokens)
                .setAttribute(GenAi.OUTPUT_TOKENS, outputTokens)
                .setAttribute(GenAi.STREAMED, streamed)
                .setAttribute(GenAi.USAGE_ESTIMATED, usageEstimated);
        if (!responseModel.isEmpty()) span.setAttribute(GenAi.RESPONSE_MODEL, responseModel);
        if (status >= 500) {
            span.setStatus(StatusCode.ERROR).setAttribute(GenAi.ERROR_TYPE, Integer.toString(status));
        }
        span.end(end);
    }

    /** The CLIENT span of one backend attempt. One per attempt, event-loop confined. */
    public static final class AttemptSpan {
        private final Span span;
        private final Context context;

        AttemptSpan(Span span, Context context) {
            this.span = span;
            this.context = context;
        }

        /** Sets {@code traceparent} on the outbound request so the backend joins the trace. */
        public void inject(MultiMap outboundHeaders) {
            W3CTraceContextPropagator.getInstance().inject(context, outboundHeaders, MultiMap::set);
        }

        public void end(int status, long inputTokens, long outputTokens, Instant end) {
            span.setAttribute(GenAi.HTTP_STATUS, (long) status);
            if (inputTokens > 0 || outputTokens > 0) {
                span.setAttribute(GenAi.INPUT_TOKENS, inputTokens).setAttribute(GenAi.OUTPUT_TOKENS, outputTokens);
            }
            if (status >= 400) span.setStatus(StatusCode.ERROR).setAttribute(GenAi.ERROR_TYPE, Integer.toString(status));
            span.end(end);
        }

        /** Ends the attempt as failed without an HTTP status (connect error, timeout, reset). */
        public void fail(Throwable error, Instant end) {
            span.setStatus(StatusCode.ERROR, error.getMessage() == null ? "" : error.getMessage())
                    .setAttribute(GenAi.ERROR_TYPE, error.getClass().getSimpleName());
            span.end(end);
        }
    }
}
