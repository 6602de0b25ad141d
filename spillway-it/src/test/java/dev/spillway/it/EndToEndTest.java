package dev.spillway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Gateway in front of the real simulator: wire format preserved, failures reported honestly. */
class EndToEndTest {
    static Stack stack;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack();
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    static final String CHAT_STREAM = "{\"stream\":true,\"max_tokens\":12,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    HttpResponse<String> post(String base, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .header("api-key", Stack.KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static List<String> frames(String sse) {
        return Arrays.stream(sse.split("\n\n")).filter(f -> !f.isBlank()).toList();
    }

    /** A frame's shape without its volatile values (ids, timestamps), for comparing two streams. */
    static String shape(String frame) {
        return frame.replaceAll("\"(id|created|system_fingerprint)\":(\"[^\"]*\"|\\d+)", "\"$1\":_");
    }

    @Test
    void streamThroughTheGatewayKeepsAzuresFrameOrder() throws Exception {
        String direct = post(stack.simulator.baseUrl(),
                "/openai/deployments/gpt-4o-ptu/chat/completions?api-version=2024-10-21", CHAT_STREAM).body();
        HttpResponse<String> viaGateway = post(stack.url(),
                "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21", CHAT_STREAM);
        assertThat(viaGateway.statusCode()).isEqualTo(200);
        assertThat(viaGateway.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        List<String> got = frames(viaGateway.body());
        assertThat(got.get(0)).contains("\"prompt_filter_results\"").contains("\"choices\":[]");
        assertThat(got.get(got.size() - 1)).isEqualTo("data: [DONE]");
        assertThat(viaGateway.body()).doesNotContain("\"usage\":{");
        assertThat(got.stream().map(EndToEndTest::shape).toList())
                .isEqualTo(frames(direct).stream().map(EndToEndTest::shape).toList());
    }

    @Test
    void ptuThrottlingSpillsToPayAsYouGo() throws Exception {
        HttpResponse<String> r = post(stack.url(), "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "x-sim-status", "429",
                "x-sim-retry-after-ms", "1");
        // x-sim-status applies to every backend tried, so both answer 429 and the last one passes through.
        // The router cools each backend for its Retry-After across requests: 1 ms keeps the other tests unaffected.
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("retry-after-ms")).isPresent();
        assertThat(r.body()).contains("\"code\":\"429\"");
    }

    @Test
    void backendDyingMidStreamEndsWithAnErrorEventNotDone() throws Exception {
        HttpResponse<String> r = post(stack.url(), "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
                CHAT_STREAM, "x-sim-fault", "disconnect-mid-stream");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("data: {\"error\":").doesNotContain("[DONE]");
    }

    @Test
    void stalledStreamHitsTheIdleTimeoutAndEndsWithAnErrorEvent() throws Exception {
        HttpResponse<String> r = post(stack.url(), "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
                CHAT_STREAM, "x-sim-fault", "stall");
        assertThat(r.body()).contains("upstream_timeout").doesNotContain("[DONE]");
    }

    @Test
    void backendThatNeverAnswersIs504() throws Exception {
        HttpResponse<String> r = post(stack.url(), "/openai/deployments/" + Stack.TINY + "/chat/completions?api-version=2024-10-21",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "x-sim-fault", "stall-before-headers");
        assertThat(r.statusCode()).isEqualTo(504);
    }

    @Test
    void embeddingsPassThrough() throws Exception {
        HttpResponse<String> r = post(stack.url(), "/v1/embeddings",
                "{\"model\":\"text-embedding-3-small\",\"input\":[\"a\",\"b\"],\"dimensions\":64}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"object\":\"list\"").contains("\"index\":1");
    }
}
