package dev.spillway.gateway.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.Secret;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.access.keys.InMemoryKeyStore;
import dev.spillway.gateway.access.keys.KeyResolver;
import dev.spillway.gateway.config.StaticKey;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Reply;
import dev.spillway.gateway.testkit.Exchanges;
import dev.spillway.gateway.testkit.FakeClock;
import dev.spillway.gateway.testkit.PolicyHarness;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The authenticate policy alone, with a static key and an empty key store. */
class AuthenticatePolicyTest {
    static final String KEY = "sk-test-0123456789abcdef";
    final FakeClock clock = new FakeClock();
    final PolicyHarness harness = new PolicyHarness(new AuthenticatePolicy(
            List.of(new StaticKey("demo", Secret.literal(KEY), "chat", "search")),
            new KeyResolver(new InMemoryKeyStore(), Runnable::run, Duration.ofSeconds(1), () -> clock.millis() * 1_000_000L, clock),
            Optional.empty(), "caller-objectid"));

    @Test
    void aStaticKeyInTheApiKeyHeaderBecomesTheCaller() {
        Exchange e = Exchanges.chat("{\"messages\":[]}", "api-key", KEY);
        assertThat(harness.run(e).succeeded()).isTrue();
        assertThat(harness.proceeded()).isTrue();
        assertThat(e.caller().app()).isEqualTo("chat");
        assertThat(e.caller().team()).isEqualTo("search");
        assertThat(e.caller().keyPrefix()).isEqualTo("sk-test-01");
    }

    @Test
    void aBearerTokenIsReadLikeAnApiKey() {
        Exchange e = Exchanges.chat("{\"messages\":[]}", "authorization", "Bearer " + KEY);
        assertThat(harness.run(e).succeeded()).isTrue();
        assertThat(e.caller().keyName()).isEqualTo("demo");
    }

    @Test
    void noCredentialIsA401ThatSaysWhereToPutTheKey() {
        Future<Reply> r = harness.run(Exchanges.chat());
        assertThat(r.cause()).isInstanceOf(SpillwayException.Unauthenticated.class).hasMessageContaining("'api-key'");
        assertThat(harness.proceeded()).isFalse();
    }

    @Test
    void anUnknownKeyIsA401AndAForgedCallerHeaderIsRemoved() {
        Exchange e = Exchanges.chat("{\"messages\":[]}", "api-key", "sk-spw-unknown", "caller-objectid", "forged");
        assertThat(harness.run(e).cause()).isInstanceOf(SpillwayException.Unauthenticated.class);
        assertThat(e.headers().get("caller-objectid")).isNull();
    }
}
