package dev.spillway.gateway.access.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link KeyStore} adapter must have; each adapter's test says how to open one. */
public abstract class KeyStoreContract {
    protected KeyStore store;

    protected abstract KeyStore open();

    @BeforeEach
    void setUp() {
        store = open();
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    protected static AppKey key(String app) {
        String id = "key_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        KeyLimits limits = new KeyLimits(OptionalLong.of(60), OptionalLong.of(1000), OptionalLong.empty(),
                OptionalLong.of(5_000_000), Optional.of(new BigDecimal("12.50")));
        return new AppKey(id, ApiKeySecrets.hash(id), "sk-spw-abcd…", "name of " + app, app, Optional.of("team-a"),
                Optional.empty(), Set.of("gpt-4o", "embed"), limits, Instant.parse("2026-11-21T10:00:00Z"),
                Optional.of(Instant.parse("2027-01-01T00:00:00Z")), Optional.empty());
    }

    @Test
    void aKeyIsFoundByTheHashOfItsSecretWithAllItsMetadata() {
        AppKey k = key("chat");
        store.insert(k);
        assertThat(store.findByHash(k.secretHash())).contains(k);
        assertThat(store.findById(k.id())).contains(k);
    }

    @Test
    void anUnknownHashFindsNothing() {
        assertThat(store.findByHash(ApiKeySecrets.hash("sk-spw-nope"))).isEmpty();
        assertThat(store.findByHash("' OR 1=1--")).isEmpty();
    }

    @Test
    void updatesChangeExpiryAndRevocation() {
        AppKey k = key("batch");
        store.insert(k);
        AppKey changed = k.withExpiry(Instant.parse("2026-12-01T00:00:00Z")).revokedAt(Instant.parse("2026-11-22T00:00:00Z"));
        store.update(changed);
        assertThat(store.findById(k.id())).contains(changed);
    }

    @Test
    void listShowsEveryKey() {
        AppKey a = key("a");
        AppKey b = key("b");
        store.insert(a);
        store.insert(b);
        assertThat(store.list()).contains(a, b);
    }
}
