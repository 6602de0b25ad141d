package dev.spillway.gateway.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.Secret;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.access.keys.InMemoryKeyStore;
import dev.spillway.gateway.access.keys.KeyResolver;
import dev.spillway.gateway.config.StaticKey;
import dev.spillway.gateway.pipeline.Caller;
import dev.spillway.core.testkit.FakeClock;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The authenticator alone, on headers only, with a static key and an empty key store. */
class AuthenticatorTest {
    static final String KEY = "sk-test-0123456789abcdef0123456789abcdef";
    final FakeClock clock = new FakeClock();
    final Authenticator authenticator = new Authenticator(
            List.of(new StaticKey("demo", Secret.literal(KEY), "chat", "search")),
            new KeyResolver(new InMemoryKeyStore(), Runnable::run, Duration.ofSeconds(1), () -> clock.millis() * 1_000_000L, clock),
            Optional.empty(), "caller-objectid");

    static MultiMap headers(String... nameValues) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < nameValues.length; i += 2) h.add(nameValues[i], nameValues[i + 1]);
        return h;
    }

    @Test
    void aStaticKeyInTheApiKeyHeaderBecomesTheCallerAndNoPartOfItIsKept() {
        Caller caller = authenticator.authenticate(headers("api-key", KEY)).result();
        assertThat(caller.app()).isEqualTo("chat");
        assertThat(caller.team()).isEqualTo("search");
        assertThat(caller.keyPrefix()).doesNotContain(KEY.substring(0, 10));
    }

    @Test
    void aStaticKeyRotatedInItsVariableIsIdentifiedByItsNewValueAndTheOldOneIsRefused() {
        String second = "sk-test-fedcba9876543210fedcba9876543210";
        Map<String, String> env = new HashMap<>(Map.of("SPILLWAY_TEST_KEY", KEY));
        Authenticator rotating = new Authenticator(
                List.of(new StaticKey("demo", Secret.parse("${env:SPILLWAY_TEST_KEY}", env), "chat", "search")),
                new KeyResolver(new InMemoryKeyStore(), Runnable::run, Duration.ofSeconds(1), () -> 0L, clock),
                Optional.empty(), "caller-objectid");
        Caller first = rotating.authenticate(headers("api-key", KEY)).result();
        assertThat(rotating.authenticate(headers("api-key", KEY)).result().keyPrefix())
                .isEqualTo(first.keyPrefix()).isEqualTo(Authenticator.staticKeyId(KEY));

        env.put("SPILLWAY_TEST_KEY", second);

        assertThat(rotating.authenticate(headers("api-key", KEY)).cause())
                .isInstanceOf(SpillwayException.Unauthenticated.class);
        assertThat(rotating.authenticate(headers("api-key", second)).result().keyPrefix())
                .isEqualTo(Authenticator.staticKeyId(second)).isNotEqualTo(first.keyPrefix());
    }

    @Test
    void aBearerTokenIsReadLikeAnApiKey() {
        assertThat(authenticator.authenticate(headers("authorization", "Bearer " + KEY)).result().keyName())
                .isEqualTo("demo");
    }

    @Test
    void noCredentialIsA401ThatSaysWhereToPutTheKey() {
        Future<Caller> r = authenticator.authenticate(headers());
        assertThat(r.cause()).isInstanceOf(SpillwayException.Unauthenticated.class).hasMessageContaining("'api-key'");
    }

    @Test
    void anUnknownKeyIsA401AndAForgedCallerHeaderIsRemoved() {
        MultiMap h = headers("api-key", "sk-spw-unknown", "caller-objectid", "forged");
        assertThat(authenticator.authenticate(h).cause()).isInstanceOf(SpillwayException.Unauthenticated.class);
        assertThat(h.get("caller-objectid")).isNull();
    }
}
