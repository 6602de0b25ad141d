package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.testkit.FakeClock;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FaultsTest {
    static final String STREAM = "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    SimHarness sim;

    SimHarness start(SimulatorConfig config) {
        sim = new SimHarness(config, new FakeClock());
        return sim;
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void simStatusAnswersThatStatusWithAzureBody() {
        start(SimulatorConfig.demo());
        HttpResponse<String> r = sim.chat("gpt-4o-ptu", ChatCompletionsTest.HELLO, "x-sim-status", "500");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(SimHarness.json(r.body()).at("/error/code").asText()).isEqualTo("InternalServerError");
        assertThat(r.headers().firstValue("apim-request-id")).isPresent();
    }

    @Test
    void simStatus429IsARealThrottleWithRetryHeaders() {
        start(SimulatorConfig.demo());
        HttpResponse<String> r = sim.chat("gpt-4o-paygo", ChatCompletionsTest.HELLO, "x-sim-status", "429",
                "x-sim-retry-after-ms", "2500");
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("retry-after-ms")).hasValue("2500");
        assertThat(r.headers().firstValue("retry-after")).hasValue("3");
        assertThat(r.headers().firstValue("x-ratelimit-remaining-requests")).isPresent();
        assertThat(SimHarness.json(r.body()).at("/error/message").asText()).contains("Please retry after 3 seconds");
    }

    @Test
    void disconnectBeforeHeadersDropsTheConnection() {
        start(SimulatorConfig.demo());
        assertThatThrownBy(() -> sim.http.send(sim.post("/openai/deployments/gpt-4o-ptu/chat/completions"
                + "?api-version=2024-10-21", ChatCompletionsTest.HELLO, "x-sim-fault", "disconnect-before-headers")
                .build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    @Test
    void disconnectMidStreamCutsAfterTheFirstFrames() throws Exception {
        start(SimulatorConfig.demo());
        String received = rawExchange(STREAM, "x-sim-fault: disconnect-mid-stream");
        assertThat(received).startsWith("HTTP/1.1 200 OK").contains("transfer-encoding: chunked");
        assertThat(received.split("data: ", -1)).hasSize(1 + 4); // prompt filter, role, two content frames
        assertThat(received).doesNotContain("[DONE]");
        assertThat(received).doesNotEndWith("0\r\n\r\n"); // no last chunk: the stream did not end cleanly
    }

    @Test
    void disconnectMidBodyCutsANonStreamedAnswer() {
        start(SimulatorConfig.demo());
        assertThatThrownBy(() -> sim.http.send(sim.post("/openai/deployments/gpt-4o-ptu/chat/completions"
                + "?api-version=2024-10-21", ChatCompletionsTest.HELLO, "x-sim-fault", "disconnect-mid-stream")
                .build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    @Test
    void stallSendsHeadersThenNothing() throws Exception {
        start(SimulatorConfig.demo());
        HttpResponse<InputStream> r = sim.http.send(sim.post("/openai/deployments/gpt-4o-ptu/chat/completions"
                        + "?api-version=2024-10-21", STREAM, "x-sim-fault", "stall").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).get().asString().startsWith("text/event-stream");
        assertThat(r.body().available()).isZero();
        r.body().close();
    }

    @Test
    void stallBeforeHeadersNeverAnswers() {
        start(SimulatorConfig.demo());
        assertThatThrownBy(() -> sim.http.send(sim.post("/openai/deployments/gpt-4o-ptu/chat/completions"
                + "?api-version=2024-10-21", ChatCompletionsTest.HELLO, "x-sim-fault", "stall-before-headers")
                .timeout(Duration.ofMillis(300)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void configFaultHitsOnlyItsDeployment() {
        start(SimulatorConfig.demo().withFaults(List.of(
                new FaultRule(Optional.of("gpt-4o-paygo"), Fault.status(503), 1.0))));
        assertThat(sim.chat("gpt-4o-paygo", ChatCompletionsTest.HELLO).statusCode()).isEqualTo(503);
        assertThat(sim.chat("gpt-4o-ptu", ChatCompletionsTest.HELLO).statusCode()).isEqualTo(200);
    }

    @Test
    void configFaultProbabilityIsSeededAndRepeatable() {
        SimulatorConfig config = SimulatorConfig.demo().withFaults(List.of(
                new FaultRule(Optional.empty(), Fault.status(500), 0.3)));
        List<Integer> first = statuses(start(config), 40);
        sim.close();
        List<Integer> second = statuses(start(config), 40);
        assertThat(second).isEqualTo(first);
        assertThat(first.stream().filter(s -> s == 500).count()).isBetween(4L, 20L);
    }

    @Test
    void unknownFaultHeaderGets400() {
        start(SimulatorConfig.demo());
        HttpResponse<String> r = sim.chat("gpt-4o-ptu", ChatCompletionsTest.HELLO, "x-sim-fault", "explode");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(SimHarness.json(r.body()).at("/error/message").asText()).contains("disconnect-mid-stream");
    }

    /** Sends one raw HTTP/1.1 request and reads everything until the server closes the connection. */
    String rawExchange(String body, String extraHeader) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", sim.simulator.port())) {
            socket.setSoTimeout(10_000);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String head = "POST /openai/deployments/gpt-4o-ptu/chat/completions?api-version=2024-10-21 HTTP/1.1\r\n"
                    + "host: 127.0.0.1\r\ncontent-type: application/json\r\n" + extraHeader + "\r\n"
                    + "content-length: " + bytes.length + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(bytes);
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static List<Integer> statuses(SimHarness sim, int n) {
        return java.util.stream.IntStream.range(0, n)
                .mapToObj(i -> sim.chat("gpt-4o-ptu", ChatCompletionsTest.HELLO).statusCode()).toList();
    }
}
