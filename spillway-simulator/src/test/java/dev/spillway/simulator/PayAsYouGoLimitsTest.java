package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.testkit.FakeClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PayAsYouGoLimitsTest {
    static final String SMALL = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":10}";
    final FakeClock clock = new FakeClock();
    SimHarness sim;

    void start(DeploymentConfig deployment) {
        sim = new SimHarness(SimulatorConfig.demo().withDeployments(List.of(deployment)), clock);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElseThrow(() -> new AssertionError("no header " + name));
    }

    @Test
    void everyResponseReportsRequestsPer10sAndTokensPerMinute() {
        start(DeploymentConfig.payAsYouGo("d", "gpt-4o", 30_000));
        HttpResponse<String> r = sim.chat("d", SMALL);
        assertThat(header(r, "x-ratelimit-limit-requests")).isEqualTo("30");
        assertThat(header(r, "x-ratelimit-remaining-requests")).isEqualTo("29");
        assertThat(header(r, "x-ratelimit-limit-tokens")).isEqualTo("30000");
        // estimate: ceil(2 characters / 4) + max_tokens 10
        assertThat(header(r, "x-ratelimit-remaining-tokens")).isEqualTo(Integer.toString(30_000 - 11));
        assertThat(header(r, "x-ratelimit-reset-requests")).isEqualTo("10");
        assertThat(header(r, "x-ratelimit-reset-tokens")).isEqualTo("60");
    }

    @Test
    void exhaustedRequestWindowGets429WithRetryAfterUntilItSlides() {
        start(DeploymentConfig.payAsYouGo("d", "gpt-4o", 6_000)); // 36 RPM -> 6 per 10 s
        for (int i = 0; i < 6; i++) {
            assertThat(sim.chat("d", SMALL).statusCode()).isEqualTo(200);
            clock.advance(Duration.ofSeconds(1));
        }
        HttpResponse<String> throttled = sim.chat("d", SMALL);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(header(throttled, "retry-after-ms")).isEqualTo("4000");
        assertThat(header(throttled, "retry-after")).isEqualTo("4");
        assertThat(header(throttled, "x-ratelimit-remaining-requests")).isEqualTo("0");
        assertThat(SimHarness.json(throttled.body()).at("/error/message").asText()).isEqualTo(
                "Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have "
                        + "exceeded call rate limit of your current OpenAI S0 pricing tier. Please retry after 4 seconds."
                        + " Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase "
                        + "the default rate limit.");
        clock.advance(Duration.ofMillis(3999));
        assertThat(sim.chat("d", SMALL).statusCode()).isEqualTo(429);
        clock.advance(Duration.ofMillis(1));
        assertThat(sim.chat("d", SMALL).statusCode()).isEqualTo(200);
    }

    @Test
    void tokenRateLimitUsesARolling60sWindow() {
        start(DeploymentConfig.payAsYouGo("d", "gpt-4o", 1_000).withRequestsPerMinute(600));
        String big = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":400}";
        assertThat(sim.chat("d", big).statusCode()).isEqualTo(200); // 401 tokens at t=0
        clock.advance(Duration.ofSeconds(20));
        assertThat(sim.chat("d", big).statusCode()).isEqualTo(200); // 802 at t=20
        clock.advance(Duration.ofSeconds(20));
        HttpResponse<String> throttled = sim.chat("d", big);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(SimHarness.json(throttled.body()).at("/error/message").asText())
                .contains("exceeded token rate limit").contains("retry after 20 seconds");
        assertThat(header(throttled, "retry-after-ms")).isEqualTo("20000");
        assertThat(header(throttled, "x-ratelimit-remaining-tokens")).isEqualTo("198");
        clock.advance(Duration.ofSeconds(20)); // the t=0 request leaves the window
        assertThat(sim.chat("d", big).statusCode()).isEqualTo(200);
    }

    @Test
    void requestWithoutMaxTokensIsEstimatedAt16CompletionTokens() {
        start(DeploymentConfig.payAsYouGo("d", "gpt-4o", 30_000));
        HttpResponse<String> r = sim.chat("d", "{\"messages\":[{\"role\":\"user\",\"content\":\"12345678\"}]}");
        assertThat(header(r, "x-ratelimit-remaining-tokens")).isEqualTo(Integer.toString(30_000 - 2 - 16));
    }

    @Test
    void embeddingsAreChargedByInputCharacters() {
        start(DeploymentConfig.payAsYouGo("e", "text-embedding-3-small", 1_000));
        HttpResponse<String> r = sim.send(sim.post("/openai/deployments/e/embeddings?api-version=2024-10-21",
                "{\"input\":[\"" + "x".repeat(400) + "\",\"abc\"]}"));
        assertThat(header(r, "x-ratelimit-remaining-tokens")).isEqualTo(Integer.toString(1_000 - 100 - 1));
    }
}
