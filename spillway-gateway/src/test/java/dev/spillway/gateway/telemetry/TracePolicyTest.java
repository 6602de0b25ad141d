package dev.spillway.gateway.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Reply;
import dev.spillway.gateway.pipeline.Usage;
import dev.spillway.gateway.testkit.Exchanges;
import dev.spillway.gateway.testkit.FakeClock;
import dev.spillway.gateway.testkit.PolicyHarness;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.junit.jupiter.api.Test;

/** The trace policy alone, exporting to memory. */
class TracePolicyTest {
    final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
            .setSampler(Sampler.alwaysOn()).addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build();
    final PolicyHarness harness = new PolicyHarness(new TracePolicy(new RequestTracer(sdk, sdk), new FakeClock()));

    @Test
    void theReplyCarriesTheTraceIdAndTheSpanEndsOnlyAtCompletionWithTheFinalUsage() {
        Exchange e = Exchanges.chat();
        Reply reply = harness.run(e).result();
        assertThat(reply.headers().get("x-spillway-trace-id")).isEqualTo(e.span().orElseThrow().traceId());
        assertThat(exporter.getFinishedSpanItems()).isEmpty();

        e.usage(new Usage(12, 7, 0, 0, true));
        PolicyHarness.complete(e, 200);
        SpanData span = exporter.getFinishedSpanItems().get(0);
        assertThat(span.getName()).isEqualTo("chat gpt-4o");
        assertThat(span.getAttributes().get(GenAi.INPUT_TOKENS)).isEqualTo(12L);
        assertThat(span.getAttributes().get(GenAi.OUTPUT_TOKENS)).isEqualTo(7L);
    }
}
