package dev.spillway.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.Secret;
import dev.spillway.gateway.config.BackendConfig;
import dev.spillway.gateway.config.ProbeConfig;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.route.identity.Identities;
import dev.spillway.gateway.testkit.Exchanges;
import dev.spillway.gateway.testkit.FakeClock;
import dev.spillway.gateway.testkit.PolicyHarness;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The backend auth policy alone: each backend's own credential on the upstream request. */
class BackendAuthPolicyTest {
    final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() {
        vertx.close();
    }

    private static BackendConfig backend(String name, BackendConfig.Auth auth) {
        return new BackendConfig(name, URI.create("https://east.example.com"), BackendConfig.Api.AZURE, "gpt-4o",
                BackendConfig.DEFAULT_API_VERSION, auth, Optional.of(Secret.literal("secret-" + name)),
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2), 8, "", ProbeConfig.DEFAULT,
                Optional.empty(), true, Optional.empty());
    }

    private Exchange signedFor(BackendConfig b) {
        PolicyHarness harness = new PolicyHarness(new BackendAuthPolicy(new Identities(vertx, List.of(b),
                new FakeClock(), Delay.of(vertx))));
        Exchange e = Exchanges.chat("{\"messages\":[]}", "api-key", "the-clients-key");
        e.upstream(new Upstream(b));
        harness.run(e);
        assertThat(harness.proceeded()).isTrue();
        return e;
    }

    @Test
    void anApiKeyBackendGetsItsOwnKey() {
        assertThat(signedFor(backend("k", BackendConfig.Auth.API_KEY)).upstream().headers().get("api-key"))
                .isEqualTo("secret-k");
    }

    @Test
    void aBearerBackendGetsItsOwnToken() {
        assertThat(signedFor(backend("t", BackendConfig.Auth.BEARER)).upstream().headers().get("authorization"))
                .isEqualTo("Bearer secret-t");
    }
}
