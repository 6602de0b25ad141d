package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Latency is only checked from below (an answer never comes early); speed is for benchmarks. */
class LatencyTest {
    static SimHarness sim;

    @BeforeAll
    static void start() {
        SimulatorConfig config = SimulatorConfig.demo().withDeployment(DeploymentConfig
                .payAsYouGo("slow", "gpt-4o-2024-11-20", 100_000)
                .withLatency(new Latency(Duration.ofMillis(250), Duration.ofMillis(10))));
        sim = new SimHarness(config);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static long millis(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Test
    void deploymentLatencyIsTimeToFirstTokenPlusPerToken() {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":20}";
        assertThat(millis(() -> assertThat(sim.chat("slow", body).statusCode()).isEqualTo(200)))
                .isGreaterThanOrEqualTo(250 + 20 * 10);
    }

    @Test
    void headersOverrideLatencyPerRequest() {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":5}";
        assertThat(millis(() -> sim.chat("gpt-4o-ptu", body, "x-sim-latency-ms", "300", "x-sim-per-token-ms", "20")))
                .isGreaterThanOrEqualTo(300 + 5 * 20);
    }

    @Test
    void streamFramesArrivePacedByPerTokenLatency() throws Exception {
        String body = "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":4}";
        // Measured from before sending: the server's pacing is a lower bound however late the client reads.
        long sentAt = System.nanoTime();
        HttpResponse<InputStream> r = sim.http.send(sim.post("/openai/deployments/gpt-4o-ptu/chat/completions"
                        + "?api-version=2024-10-21", body, "x-sim-per-token-ms", "100").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String first = in.readLine();
            assertThat(first).startsWith("data: {\"choices\":[],");
            String line;
            String last = null;
            while ((line = in.readLine()) != null) if (!line.isEmpty()) last = line;
            assertThat(last).isEqualTo("data: [DONE]");
            assertThat((System.nanoTime() - sentAt) / 1_000_000).isGreaterThanOrEqualTo(4 * 100);
        }
    }
}
