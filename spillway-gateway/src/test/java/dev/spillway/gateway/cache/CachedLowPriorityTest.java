package dev.spillway.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.gateway.batch.PriorityPolicy;
import dev.spillway.gateway.server.GatewayServer;
import dev.spillway.gateway.testkit.GatewayHarness;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A low-priority call waits for PTU headroom only after the cache: while the PTU cools after a
 * 429, a low call whose answer is cached is served at once, and one whose answer is not waits out
 * its deadline and gets 429.
 */
@org.junit.jupiter.api.Timeout(60)
class CachedLowPriorityTest {
    private static final String ASK = "{\"messages\":[{\"role\":\"user\",\"content\":\"%s\"}],\"temperature\":0,"
            + "\"max_tokens\":30}";
    private final GatewayHarness h = new GatewayHarness();
    private GatewayServer gateway;

    @BeforeEach
    void start() throws Exception {
        Simulator sim = h.simulator(SimulatorConfig.demo().withPort(0).withEventLoops(1));
        gateway = h.gateway("gateway:\n  port: 0\n" + GatewayHarness.KEYS + """
                  backends: [ { name: ptu, url: "%s", deployment: gpt-4o-ptu, probe: { kind: none } } ]
                  deployments: [ { name: gpt-4o, backends: [ptu] } ]
                  forward-sim-headers: true
                  routing: { deadline: 1s }
                  cache: { apps: [ { app: chat, enabled: true } ] }
                """.formatted(sim.baseUrl()));
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    @Test
    void aLowPriorityCallWhoseAnswerIsCachedIsServedWithoutWaitingForThePtu() throws Exception {
        HttpResponse<String> first = h.completions(gateway, ASK.formatted("What is a PTU?"));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        HttpResponse<String> throttled = h.completions(gateway, ASK.formatted("Throttle me"), "x-sim-status", "429",
                "x-sim-retry-after-ms", "20000");
        assertThat(throttled.statusCode()).isEqualTo(429);

        long started = System.nanoTime();
        HttpResponse<String> low = h.completions(gateway, ASK.formatted("What is a PTU?"), PriorityPolicy.HEADER, "low");
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(low.statusCode()).as(low.body()).isEqualTo(200);
        assertThat(low.headers().firstValue(CachePolicy.HEADER)).hasValue("hit");
        assertThat(millis).as("no wait for the PTU's 1 s deadline").isLessThan(900);
        HttpResponse<String> uncached = h.completions(gateway, ASK.formatted("What is pay-as-you-go?"),
                PriorityPolicy.HEADER, "low");
        assertThat(uncached.statusCode()).as(uncached.body()).isEqualTo(429);
    }
}
