package dev.spillway.gateway.route;

import dev.spillway.gateway.testkit.FakeBackend;
import dev.spillway.gateway.testkit.GatewayHarness;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.gateway.server.GatewayServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The router inside a real gateway, against fake backends on loopback. */
@org.junit.jupiter.api.Timeout(30)
class GatewayRoutingTest {
    private final GatewayHarness h = new GatewayHarness();

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    private GatewayServer twoBackends(FakeBackend a, FakeBackend b, String extra) throws Exception {
        return h.gateway("gateway:\n  port: 0\n  forward-sim-headers: true\n" + GatewayHarness.KEYS + extra + """
                  backends:
                    - { name: a, url: "%s", deployment: d, idle-timeout: 500ms, probe: { kind: none } }
                    - { name: b, url: "%s", deployment: d, idle-timeout: 500ms, probe: { kind: none } }
                  deployments:
                    - { name: gpt-4o, backends: [a, b] }
                """.formatted(a.url(), b.url()));
    }

    @Test
    void aStreamThatBreaksAfterItsFirstByteEndsWithAnErrorEventAndNoDone() throws Exception {
        GatewayServer g = twoBackends(h.backend("a"), h.backend("b"), "");
        HttpResponse<String> r = h.chat(g, true, "x-sim-fault", "disconnect-mid-stream");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"Hel\"").contains("\"error\"").doesNotContain("[DONE]");
        assertThat(r.headers().firstValue("x-backend")).contains("a");
    }

    @Test
    void aStreamThatStallsAfterItsHeadersEndsWithATimeoutErrorEvent() throws Exception {
        GatewayServer g = twoBackends(h.backend("a"), h.backend("b"), "");
        HttpResponse<String> r = h.chat(g, true, "x-sim-fault", "stall");
        assertThat(r.body()).contains("\"Hel\"").contains("timeout").doesNotContain("[DONE]");
    }

    @Test
    void aCleanStreamEndsWithDoneAndHidesTheInjectedUsageChunk() throws Exception {
        GatewayServer g = twoBackends(h.backend("a"), h.backend("b"), "");
        HttpResponse<String> r = h.chat(g, true);
        assertThat(r.body()).contains("[DONE]").doesNotContain("\"usage\"").doesNotContain("\"error\"");
    }

    @Test
    void aBackendThatDropsTheConnectionBeforeHeadersIsFailedOverBeforeAnyByte() throws Exception {
        FakeBackend a = h.backend("a");
        FakeBackend b = h.backend("b");
        GatewayServer g = twoBackends(a, b, "");
        a.fault = "disconnect-before-headers";
        HttpResponse<String> r = h.chat(g, true);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-backend")).contains("b");
        assertThat(r.body()).contains("[DONE]");
        assertThat(a.requests.get()).isEqualTo(1);
    }

    @Test
    void aBackendThatNeverAnswersTimesOutAndTheNextOneAnswers() throws Exception {
        FakeBackend a = h.backend("a");
        FakeBackend b = h.backend("b");
        GatewayServer g = h.gateway("gateway:\n  port: 0\n  forward-sim-headers: true\n" + GatewayHarness.KEYS + """
                  backends:
                    - { name: a, url: "%s", deployment: d, first-byte-timeout: 300ms, probe: { kind: none } }
                    - { name: b, url: "%s", deployment: d, probe: { kind: none } }
                  deployments:
                    - { name: gpt-4o, backends: [a, b] }
                """.formatted(a.url(), b.url()));
        a.fault = "stall-before-headers";
        HttpResponse<String> r = h.chat(g, false);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-backend")).contains("b");
    }

    @Test
    void whenEveryBackendStallsTheClientGets504() throws Exception {
        FakeBackend a = h.backend("a");
        FakeBackend b = h.backend("b");
        GatewayServer g = h.gateway("gateway:\n  port: 0\n  forward-sim-headers: true\n" + GatewayHarness.KEYS + """
                  backends:
                    - { name: a, url: "%s", deployment: d, first-byte-timeout: 200ms, probe: { kind: none } }
                    - { name: b, url: "%s", deployment: d, first-byte-timeout: 200ms, probe: { kind: none } }
                  deployments:
                    - { name: gpt-4o, backends: [a, b] }
                """.formatted(a.url(), b.url()));
        HttpResponse<String> r = h.chat(g, true, "x-sim-fault", "stall-before-headers");
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).contains("upstream_timeout");
    }

    @Test
    void twoGatewaysInTwoRegionsEachRouteToTheirOwnRegionFirst() throws Exception {
        FakeBackend east = h.backend("east");
        FakeBackend west = h.backend("west");
        String pool = """
                  backends:
                    - { name: east, url: "%s", deployment: d, region: eastus, probe: { kind: none } }
                    - { name: west, url: "%s", deployment: d, region: westus, probe: { kind: none } }
                  deployments:
                    - name: gpt-4o
                      backends: [ { backend: east, priority: 1 }, { backend: west, priority: 1 } ]
                """.formatted(east.url(), west.url());
        GatewayServer inEast = h.gateway("gateway:\n  port: 0\n  region: eastus\n" + GatewayHarness.KEYS + pool);
        GatewayServer inWest = h.gateway("gateway:\n  port: 0\n  region: westus\n" + GatewayHarness.KEYS + pool);
        for (int i = 0; i < 5; i++) {
            assertThat(h.chat(inEast, false).headers().firstValue("x-backend")).contains("east");
            assertThat(h.chat(inWest, false).headers().firstValue("x-backend")).contains("west");
        }
        east.status = 500;
        assertThat(h.chat(inEast, false).headers().firstValue("x-backend")).as("fails over to the other region").contains("west");
    }
}
