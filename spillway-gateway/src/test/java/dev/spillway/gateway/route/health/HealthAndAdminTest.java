package dev.spillway.gateway.route.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.gateway.testkit.FakeBackend;
import dev.spillway.gateway.testkit.GatewayHarness;
import dev.spillway.gateway.server.GatewayServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Background probes, the Azure status endpoint and the admin endpoint, on real timers. */
class HealthAndAdminTest {
    private final GatewayHarness h = new GatewayHarness();

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    private GatewayServer gateway(FakeBackend a, String probe) throws Exception {
        return h.gateway("gateway:\n  port: 0\n  admin: { key: admin-secret-1 }\n" + GatewayHarness.KEYS + """
                  backends:
                    - { name: a, url: "%s", deployment: d, probe: %s }
                  deployments:
                    - { name: gpt-4o, backends: [a] }
                """.formatted(a.url(), probe));
    }

    /** Polls a real-timer condition (probes run on Vert.x timers), failing after {@code limit}. */
    private static void eventually(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("condition not met within " + limit);
            Thread.sleep(25);
        }
    }

    private int status(GatewayServer g) {
        try {
            return h.get(g, "/status-0123456789abcdef").statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void statusIsUnhealthyWhileAPoolHasNoHealthyBackendAndRecoversAfterProbes() throws Exception {
        FakeBackend a = h.backend("a");
        int port = a.port();
        GatewayServer g = gateway(a, "{ interval: 100ms, timeout: 200ms, healthy-after: 2, unhealthy-after: 2 }");
        assertThat(status(g)).isEqualTo(200);
        a.down();
        eventually(Duration.ofSeconds(5), () -> status(g) == 503);
        assertThat(h.get(g, "/status-0123456789abcdef").body()).contains("degraded", "gpt-4o");
        assertThat(h.get(g, "/healthz").statusCode()).as("the process itself is fine").isEqualTo(200);
        a.up(port);
        eventually(Duration.ofSeconds(5), () -> status(g) == 200);
    }

    @Test
    void defaultProbesListModelsAndCostNoTokens() throws Exception {
        FakeBackend a = h.backend("a");
        gateway(a, "{ interval: 100ms }");
        eventually(Duration.ofSeconds(5), () -> a.probes.get() >= 2);
        assertThat(a.requests.get()).as("no completion was sent").isZero();
    }

    @Test
    void aCompletionProbeAsksForOneTokenOnlyWhenConfigured() throws Exception {
        FakeBackend a = h.backend("a");
        gateway(a, "{ kind: completion, interval: 100ms }");
        eventually(Duration.ofSeconds(5), () -> a.requests.get() >= 1);
        assertThat(a.lastBody).contains("\"max_tokens\":1");
    }

    @Test
    void theAdminEndpointShowsEachBackendsStateToTheAdminKeyOnly() throws Exception {
        FakeBackend a = h.backend("a");
        a.extraHeader = "x-ratelimit-remaining-tokens: 4321";
        GatewayServer g = gateway(a, "{ kind: none }");
        h.chat(g, false);
        assertThat(h.get(g, "/admin/backends").statusCode()).isEqualTo(401);
        assertThat(h.get(g, "/admin/backends", "api-key", GatewayHarness.KEY).statusCode()).isEqualTo(401);
        HttpResponse<String> r = h.get(g, "/admin/backends", "authorization", "Bearer admin-secret-1");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"name\":\"a\"", "\"healthy\":true", "\"breaker\":\"closed\"",
                "\"remaining-tokens\":4321", "\"cooling-until\":null");
    }

    @Test
    void withoutAnAdminKeyTheAdminEndpointDoesNotExist() throws Exception {
        FakeBackend a = h.backend("a");
        GatewayServer g = h.gateway("gateway:\n  port: 0\n" + GatewayHarness.KEYS + """
                  backends: [ { name: a, url: "%s", deployment: d, probe: { kind: none } } ]
                  deployments: [ { name: gpt-4o, backends: [a] } ]
                """.formatted(a.url()));
        assertThat(h.get(g, "/admin/backends", "api-key", "anything").statusCode()).isEqualTo(404);
    }
}
