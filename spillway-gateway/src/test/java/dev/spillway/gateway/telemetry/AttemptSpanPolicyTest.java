package dev.spillway.gateway.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.route.Upstream;
import dev.spillway.gateway.testkit.Exchanges;
import dev.spillway.gateway.testkit.FakeClock;
import dev.spillway.gateway.testkit.Fixtures;
import dev.spillway.gateway.testkit.PolicyHarness;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

/** The attempt span policy alone: one client span per try, and traceparent upstream. */
class AttemptSpanPolicyTest {
    final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
            .setSampler(Sampler.alwaysOn()).addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build();
    final FakeClock clock = new FakeClock();
    final PolicyHarness harness = new PolicyHarness(new AttemptSpanPolicy(clock));

    @Test
    void eachAttemptGetsAClientSpanAndTheBackendGetsTraceparent() {
        Exchange e = Exchanges.chat();
        e.span(new RequestTracer(sdk, sdk).startRequest(MultiMap.caseInsensitiveMultiMap(), "chat", "gpt-4o",
                clock.instant()));
        e.upstream(new Upstream(Fixtures.backend("ptu", "eastus", "https://east.example.com")));
        harness.run(e);
        assertThat(e.upstream().headers().get("traceparent")).contains(e.span().orElseThrow().traceId());
        assertThat(exporter.getFinishedSpanItems()).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo(SpanKind.CLIENT);
            assertThat(s.getAttributes().get(GenAi.SERVER_ADDRESS)).isEqualTo("east.example.com");
            assertThat(s.getAttributes().get(GenAi.SERVER_PORT)).isEqualTo(443L);
        });
    }

    @Test
    void withoutARequestSpanNothingIsTraced() {
        Exchange e = Exchanges.chat();
        e.upstream(new Upstream(Fixtures.backend("ptu", "eastus")));
        harness.run(e);
        assertThat(harness.proceeded()).isTrue();
        assertThat(e.upstream().headers().get("traceparent")).isNull();
    }
}
