package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.testkit.FakeClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProvisionedLimitsTest {
    // 10 tokens/s: the bucket holds one minute, 600 tokens
    final FakeClock clock = new FakeClock();
    SimHarness sim;

    @BeforeEach
    void start() {
        sim = new SimHarness(SimulatorConfig.demo().withDeployments(
                List.of(DeploymentConfig.ptu("p", "gpt-4o-2024-11-20", 10))), clock);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    static String body(int maxTokens) {
        return "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":" + maxTokens + "}";
    }

    static String utilization(HttpResponse<?> r) {
        return r.headers().firstValue("azure-openai-deployment-utilization").orElseThrow();
    }

    @Test
    void utilizationHeaderReportsTheBucketAfterAdmission() {
        HttpResponse<String> r = sim.chat("p", body(59)); // estimate 1 + 59 = 60 of 600
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(utilization(r)).isEqualTo("10.0%");
        assertThat(r.headers().firstValue("x-ratelimit-limit-tokens")).isEmpty();
    }

    @Test
    void fullBucketGets429UntilItDrainsBelow100Percent() {
        // 700 completion tokens + 8 prompt tokens really used: the bucket settles at 708 of 600
        HttpResponse<String> first = sim.chat("p", body(700), "x-sim-completion-tokens", "700");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(utilization(first)).isEqualTo("116.8%"); // the estimate: 1 + 700
        HttpResponse<String> throttled = sim.chat("p", body(10));
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("retry-after-ms")).hasValue("10801");
        assertThat(throttled.headers().firstValue("retry-after")).hasValue("11");
        assertThat(utilization(throttled)).isEqualTo("118.0%");
        assertThat(SimHarness.json(throttled.body()).at("/error/code").asText()).isEqualTo("429");
        clock.advance(Duration.ofMillis(10_801));
        HttpResponse<String> again = sim.chat("p", body(10));
        assertThat(again.statusCode()).isEqualTo(200);
    }

    @Test
    void bucketDrainsAtCapacityPerSecond() {
        sim.chat("p", body(299)); // estimate 300; settles to 8 + 100 = 108 used
        clock.advance(Duration.ofSeconds(5)); // drains 50
        HttpResponse<String> r = sim.chat("p", body(1));
        assertThat(utilization(r)).isEqualTo("10.0%"); // (108 - 50 + 2) / 600
    }
}
