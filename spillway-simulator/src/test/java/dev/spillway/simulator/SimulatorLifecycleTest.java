package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulatorLifecycleTest {
    @Test
    void severalEventLoopsShareOneFreePortAndCloseReleasesIt() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Simulator sim = SimHarness.await(Simulator.start(vertx, SimulatorConfig.demo().withEventLoops(3)));
            assertThat(sim.port()).isPositive();
            assertThat(sim.baseUrl()).isEqualTo("http://127.0.0.1:" + sim.port());
            for (int i = 0; i < 6; i++) {
                HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                HttpResponse<String> r = fresh.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/models"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
            }
            int port = sim.port();
            SimHarness.await(sim.close());
            Simulator again = SimHarness.await(Simulator.start(vertx, SimulatorConfig.demo().withPort(port)));
            assertThat(again.port()).isEqualTo(port);
            SimHarness.await(again.close());
        } finally {
            SimHarness.await(vertx.close());
        }
    }
}
