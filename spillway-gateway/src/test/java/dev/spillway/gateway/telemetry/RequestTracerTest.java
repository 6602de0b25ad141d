package dev.spillway.gateway.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.MultiMap;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestTracerTest {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
            .setSampler(Sampler.alwaysOn()).addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build();
    private final RequestTracer tracer = new RequestTracer(sdk, sdk);

    private SpanData span(SpanKind kind) {
        return exporter.getFinishedSpanItems().stream().filter(s -> s.getKind() == kind).findFirst().orElseThrow();
    }

    @Test
    void requestAndAttemptSpansCarryGenAiAttributes() {
        RequestSpan request = tracer.startRequest(MultiMap.caseInsensitiveMultiMap(), "chat", "gpt-4o", T0);
        request.caller("billing");
        RequestSpan.AttemptSpan attempt = request.startAttempt("ptu-east", "azure.ai.openai", "east.example.com", 443, T0);
        attempt.end(200, 120, 30, T0.plusMillis(300));
        request.end(200, "ptu-east", "gpt-4o-2024-08-06", 120, 30, true, false, T0.plusMillis(310));

        SpanData server = span(SpanKind.SERVER);
        SpanData client = span(SpanKind.CLIENT);
        assertThat(server.getName()).isEqualTo("chat gpt-4o");
        assertThat(server.getAttributes().get(GenAi.OPERATION_NAME)).isEqualTo("chat");
        assertThat(server.getAttributes().get(GenAi.REQUEST_MODEL)).isEqualTo("gpt-4o");
        assertThat(server.getAttributes().get(GenAi.RESPONSE_MODEL)).isEqualTo("gpt-4o-2024-08-06");
        assertThat(server.getAttributes().get(GenAi.INPUT_TOKENS)).isEqualTo(120L);
        assertThat(server.getAttributes().get(GenAi.OUTPUT_TOKENS)).isEqualTo(30L);
        assertThat(server.getAttributes().get(GenAi.APP)).isEqualTo("billing");
        assertThat(client.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(client.getAttributes().get(GenAi.SERVER_ADDRESS)).isEqualTo("east.example.com");
        assertThat(client.getAttributes().get(GenAi.SERVER_PORT)).isEqualTo(443L);
        assertThat(client.getAttributes().get(GenAi.PROVIDER_NAME)).isEqualTo("azure.ai.openai");
        assertThat(request.traceId()).isEqualTo(server.getTraceId());
    }

    @Test
    void incomingTraceparentIsContinuedAndPassedToTheBackend() {
        MultiMap in = MultiMap.caseInsensitiveMultiMap()
                .set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        RequestSpan request = tracer.startRequest(in, "chat", "gpt-4o", T0);
        RequestSpan.AttemptSpan attempt = request.startAttempt("b", "openai", "h", 80, T0);
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        attempt.inject(out);
        MultiMap response = MultiMap.caseInsensitiveMultiMap();
        request.addResponseHeaders(response);

        assertThat(request.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(response.get("x-spillway-trace-id")).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(out.get("traceparent")).startsWith("00-0af7651916cd43dd8448eb211c80319c-").endsWith("-01");
    }

    @Test
    void failedAttemptIsMarkedAsAnError() {
        RequestSpan request = tracer.startRequest(MultiMap.caseInsensitiveMultiMap(), "embeddings", "ada", T0);
        request.startAttempt("b", "openai", "h", 80, T0).fail(new java.net.ConnectException("refused"), T0);
        request.end(503, "", "", 0, 0, false, false, T0);
        assertThat(span(SpanKind.CLIENT).getAttributes().get(GenAi.ERROR_TYPE)).isEqualTo("ConnectException");
        assertThat(span(SpanKind.SERVER).getStatus().getStatusCode()).isEqualTo(io.opentelemetry.api.trace.StatusCode.ERROR);
    }

    @Test
    void withTracesOffEveryRequestStillGetsATraceIdAndNothingIsExported() throws Exception {
        TelemetryConfig d = TelemetryConfig.defaults();
        TelemetryConfig off = new TelemetryConfig(true, false, 10, false, 1.0, Optional.empty(), d.otlpProtocol(), "x", Optional.empty());
        try (RequestTracer quiet = RequestTracer.create(off)) {
            RequestSpan a = quiet.startRequest(MultiMap.caseInsensitiveMultiMap(), "chat", "m", T0);
            RequestSpan b = quiet.startRequest(MultiMap.caseInsensitiveMultiMap(), "chat", "m", T0);
            assertThat(List.of(a.traceId(), b.traceId())).allMatch(id -> id.matches("[0-9a-f]{32}") && !id.equals("0".repeat(32)));
            assertThat(a.traceId()).isNotEqualTo(b.traceId());
            assertThat(a.sampled()).isFalse();
        }
    }
}
