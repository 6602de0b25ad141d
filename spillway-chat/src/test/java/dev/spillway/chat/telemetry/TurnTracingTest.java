package dev.spillway.chat.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.chat.FakeDocumentPages;
import dev.spillway.chat.FakeRetriever;
import dev.spillway.chat.FakeSseServer;
import dev.spillway.chat.TestChatApp;
import dev.spillway.chat.WebClient;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TurnTracingTest {
    @TempDir
    Path dir;

    @Test
    void aTurnIsOneTraceAndEachModelCallCarriesItsStepSpanToTheGateway() throws Exception {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build();
        Map<String, SpanData> spans;
        try (FakeSseServer gateway = new FakeSseServer()) {
            gateway.responder = body -> body.contains("Search query:") ? FakeSseServer.answer("vacation days")
                    : FakeSseServer.answer("25 days [handbook.pdf#page=3].");
            try (TestChatApp app = new TestChatApp(dir, null, 0, "gateway-url: \"" + gateway.url() + "\"",
                    FakeRetriever.handbook(), FakeDocumentPages.handbook(), Optional.of(new TurnTracer(sdk, sdk)))) {
                WebClient c = new WebClient(app.url());
                c.signIn("alice", TestChatApp.PASSWORD);
                assertThat(c.post("/api/chat", "{\"question\":\"How many days?\"}", "x-csrf-token", c.csrf).body())
                        .contains("\"type\":\"answer\"");
                // The turn's span ends just after the last line is written; wait for it (bounded).
                for (int i = 0; i < 500 && exporter.getFinishedSpanItems().stream().noneMatch(s -> s.getName().equals("chat turn")); i++) {
                    Thread.sleep(10);
                }
                spans = exporter.getFinishedSpanItems().stream()
                        .collect(Collectors.toMap(SpanData::getName, Function.identity()));
            }
            assertThat(spans).containsOnlyKeys("chat turn", "session", "rewrite", "retrieve", "answer", "follow-ups");
            SpanData turn = spans.get("chat turn");
            assertThat(turn.getAttributes().get(TurnTracer.USER)).isEqualTo("local:alice");
            assertThat(turn.getAttributes().get(TurnTracer.SESSION)).hasSize(16);
            for (String step : List.of("session", "rewrite", "retrieve", "answer", "follow-ups")) {
                assertThat(spans.get(step).getTraceId()).as(step).isEqualTo(turn.getTraceId());
                assertThat(spans.get(step).getParentSpanId()).as(step).isEqualTo(turn.getSpanId());
            }
            // version-traceid-parentid-flags; the flags say sampled (and, in W3C level 2, a random trace id)
            assertThat(gateway.received).extracting(r -> r.traceparent().substring(0, 53)).containsExactly(
                    "00-" + turn.getTraceId() + "-" + spans.get("rewrite").getSpanId() + "-",
                    "00-" + turn.getTraceId() + "-" + spans.get("answer").getSpanId() + "-");
            assertThat(gateway.received).allSatisfy(r -> assertThat(Integer.parseInt(r.traceparent().substring(53), 16) & 1)
                    .as("sampled flag").isEqualTo(1));
        }
    }
}
