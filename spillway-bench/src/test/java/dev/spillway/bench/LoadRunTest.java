package dev.spillway.bench;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadRunTest {
    private static Vertx vertx;
    private FakeAzureServer server;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void startServer() throws Exception {
        server = new FakeAzureServer(vertx);
    }

    @org.junit.jupiter.api.AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    private LoadSpec.Builder spec() {
        return LoadSpec.builder(server.url(), Api.AZURE, "gpt-4o").rate(0).clients(4).threads(2)
                .duration(Duration.ofSeconds(20)).timeout(Duration.ofSeconds(10));
    }

    private static LoadReport run(LoadSpec spec) throws Exception {
        return LoadRun.run(vertx, spec).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Test
    void requestBoundStopsTheRunAfterExactlyThatManyRequests() throws Exception {
        LoadReport r = run(spec().maxRequests(OptionalLong.of(40)).build());

        assertThat(r.kind()).isEqualTo(LoadReport.Kind.FINAL);
        assertThat(r.sent()).isEqualTo(40);
        assertThat(r.completed()).isEqualTo(40);
        assertThat(r.failures()).isZero();
        assertThat(server.seen).hasSize(40);
        assertThat(r.outcomes()).containsEntry("200", 40L);
        assertThat(r.contextTokens()).isEqualTo(40 * 11);
        assertThat(r.generatedTokens()).isEqualTo(40 * 7);
    }

    @Test
    void fixedRateNeverIssuesAheadOfTheSchedule() throws Exception {
        LoadReport r = run(spec().rate(100).duration(Duration.ofSeconds(1)).build());

        // 100 req/s for 1 s: slots at 0, 10, ..., 990 ms; a late generator may fall behind, never ahead.
        assertThat(r.sent()).isBetween(1L, 100L);
        assertThat(r.completed()).isEqualTo(r.sent());
        assertThat(server.seen).hasSize((int) r.sent());
    }

    @Test
    void warmUpRequestsAreSentButLeftOutOfTheReport() throws Exception {
        LoadReport r = run(spec().rate(50).warmup(Duration.ofMillis(200)).duration(Duration.ofSeconds(1)).build());

        // 1.2 s at 50 req/s: at most 60 slots; the first 10 are warm-up, at most the last 50 are measured
        assertThat(r.sent()).isBetween(1L, 50L);
        assertThat(server.seen.size()).isGreaterThan((int) r.sent()).isLessThanOrEqualTo(60);
        assertThat(r.completed()).isEqualTo(r.sent());
    }

    @Test
    void requestBoundCountsOnlyMeasuredRequests() throws Exception {
        LoadReport r = run(spec().rate(0).warmup(Duration.ofMillis(150)).maxRequests(OptionalLong.of(10)).build());

        assertThat(r.sent()).isEqualTo(10);
        assertThat(r.completed()).isEqualTo(10);
        assertThat(server.seen.size()).isGreaterThan(10);
    }

    @Test
    void throttledResponsesAreCountedAndNotRetriedByDefault() throws Exception {
        server.throttleFirst(5, 5);

        LoadReport r = run(spec().clients(1).threads(1).maxRequests(OptionalLong.of(12)).build());

        assertThat(r.throttled()).isEqualTo(5);
        assertThat(r.completed()).isEqualTo(7);
        assertThat(r.failures()).isZero();
        assertThat(r.retries()).isZero();
        assertThat(r.outcomes()).containsEntry("429", 5L).containsEntry("200", 7L);
    }

    @Test
    void exponentialRetryHonoursRetryAfterMsUntilEveryRequestCompletes() throws Exception {
        server.throttleFirst(3, 5);

        LoadReport r = run(spec().clients(1).threads(1).maxRequests(OptionalLong.of(6))
                .retry(RetryMode.EXPONENTIAL).build());

        assertThat(r.completed()).isEqualTo(6);
        assertThat(r.throttled()).isEqualTo(3);
        assertThat(r.retries()).isEqualTo(3);
        assertThat(server.seen).hasSize(9);
        // the retried request waited at least the three 5 ms retry-after periods before it completed
        assertThat(r.e2e().orElseThrow().max()).isGreaterThanOrEqualTo(15.0);
    }

    @Test
    void firstTokenTimeSkipsThePromptFilterFrameAndComesBeforeTheEnd() throws Exception {
        LoadReport r = run(spec().stream(true).maxRequests(OptionalLong.of(3)).headers(Map.of(
                "x-sim-ttft-ms", "60", "x-sim-per-token-ms", "10", "x-sim-completion-tokens", "4")).build());

        assertThat(r.completed()).isEqualTo(3);
        Percentiles ttft = r.ttft().orElseThrow();
        Percentiles e2e = r.e2e().orElseThrow();
        Percentiles tbt = r.tbt().orElseThrow();
        // the prompt-filter frame arrives at once; the first content only after the 60 ms the server waits
        assertThat(ttft.p50()).isGreaterThanOrEqualTo(60.0);
        assertThat(ttft.max()).isLessThan(e2e.max());
        assertThat(r.ttftSent().orElseThrow().p50()).isGreaterThanOrEqualTo(60.0).isLessThanOrEqualTo(ttft.max());
        assertThat(tbt.count()).isEqualTo(3);
        assertThat(tbt.max()).isGreaterThan(0.0).isLessThan(e2e.max() - ttft.p50() + 1);
        assertThat(r.generatedTokens()).isEqualTo(3 * 4);
        assertThat(r.contextTokens()).isEqualTo(3 * 11);
    }

    @Test
    void streamWithoutUsageCountsContentFramesAsGeneratedTokens() throws Exception {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true}";

        LoadReport r = run(spec().body(Optional.of(body)).maxRequests(OptionalLong.of(5))
                .headers(Map.of("x-sim-completion-tokens", "6")).build());

        assertThat(r.completed()).isEqualTo(5);
        assertThat(r.generatedTokens()).isEqualTo(5 * 6);
    }

    @Test
    void streamEndingWithoutDoneIsAFailure() throws Exception {
        LoadReport r = run(spec().stream(true).maxRequests(OptionalLong.of(4))
                .headers(Map.of("x-fake-cut", "yes")).build());

        assertThat(r.completed()).isZero();
        assertThat(r.failures()).isEqualTo(4);
        assertThat(r.outcomes()).containsEntry("broken-stream", 4L);
    }

    @Test
    void utilizationHeaderIsSummarisedInPercent() throws Exception {
        server.utilization("42.5%");

        LoadReport r = run(spec().maxRequests(OptionalLong.of(10)).build());

        assertThat(r.util().orElseThrow().p50()).isCloseTo(42.5, org.assertj.core.data.Offset.offset(0.1));
        assertThat(r.util().orElseThrow().count()).isEqualTo(10);
    }

    @Test
    void azureRouteCarriesDeploymentApiVersionAndApiKey() throws Exception {
        run(spec().apiKey(Optional.of("sk-test")).maxRequests(OptionalLong.of(1)).build());

        FakeAzureServer.Seen seen = server.seen.getFirst();
        assertThat(seen.path()).isEqualTo("/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21");
        assertThat(seen.headers()).containsEntry("api-key", "sk-test").doesNotContainKey("authorization");
        assertThat(seen.body()).doesNotContain("\"model\"").contains("\"max_tokens\":500");
    }

    @Test
    void openAiRouteCarriesModelAndBearerToken() throws Exception {
        run(LoadSpec.builder(server.url(), Api.OPENAI, "chat-small").rate(0).clients(1).threads(1)
                .apiKey(Optional.of("sk-test")).maxRequests(OptionalLong.of(1)).stream(true).build());

        FakeAzureServer.Seen seen = server.seen.getFirst();
        assertThat(seen.path()).isEqualTo("/v1/chat/completions");
        assertThat(seen.headers()).containsEntry("authorization", "Bearer sk-test");
        assertThat(seen.body()).contains("\"model\":\"chat-small\"")
                .contains("\"stream\":true,\"stream_options\":{\"include_usage\":true}");
    }

    @Test
    void fixedBodyAndExtraHeadersAreSentVerbatim() throws Exception {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"exactly this\"}]}";

        run(spec().body(Optional.of(body)).headers(Map.of("x-sim-latency-ms", "0"))
                .maxRequests(OptionalLong.of(2)).build());

        assertThat(server.seen).extracting(FakeAzureServer.Seen::body).containsOnly(body);
        assertThat(server.seen.getFirst().headers()).containsEntry("x-sim-latency-ms", "0");
    }

    @Test
    void generatedPromptsDifferBetweenRequests() throws Exception {
        run(spec().shape(new RequestShape(60, 20)).maxRequests(OptionalLong.of(5)).build());

        assertThat(server.seen).extracting(FakeAzureServer.Seen::body).doesNotHaveDuplicates();
    }

    @Test
    void unreachableTargetCountsEveryRequestAsAConnectFailure() throws Exception {
        URI closed = server.url();
        server.close();

        LoadReport r = run(LoadSpec.builder(closed, Api.AZURE, "d").rate(0).clients(2).threads(1)
                .maxRequests(OptionalLong.of(4)).build());

        assertThat(r.failures()).isEqualTo(4);
        assertThat(r.completed()).isZero();
        assertThat(r.outcomes()).containsEntry("connect", 4L);
    }

    @Test
    void intervalReportsAddUpToTheFinalReport() throws Exception {
        List<LoadReport> intervals = new CopyOnWriteArrayList<>();

        LoadReport r = LoadRun.run(vertx, spec().rate(200).duration(Duration.ofMillis(600))
                        .interval(Duration.ofMillis(100)).build(), intervals::add)
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);

        assertThat(intervals).isNotEmpty().allMatch(i -> i.kind() == LoadReport.Kind.INTERVAL);
        assertThat(intervals.stream().mapToLong(LoadReport::completed).sum()).isEqualTo(r.completed());
    }

    @Test
    void nonLoopbackTargetIsRefusedBeforeAnyRequest() {
        LoadSpec remote = LoadSpec.builder(URI.create("http://10.11.12.13:8080"), Api.AZURE, "d").build();

        assertThatThrownBy(() -> run(remote)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("not a loopback address").hasMessageContaining("--allow-remote");
    }
}
