package dev.spillway.gateway.access.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.spillway.gateway.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class KeyServiceTest {
    private final FakeClock clock = new FakeClock(Instant.parse("2026-11-21T10:00:00Z"));
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final KeyService keys = new KeyService(store, clock, new SplittableRandom(7));
    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;
    private final KeyResolver resolver = new KeyResolver(store, Runnable::run, Duration.ofSeconds(1), ticker, clock);

    private KeyService.IssuedKey create() {
        return keys.create(new KeyService.NewKey("", "chat", Optional.of("search"), Optional.of("ana"),
                Set.of("gpt-4o"), KeyLimits.NONE, Optional.empty()));
    }

    private Optional<AppKey> resolve(String secret) {
        return resolver.resolve(secret).toCompletableFuture().join();
    }

    @Test
    void aNewKeyIs256RandomBitsBehindAVisiblePrefixAndOnlyItsHashIsStored() {
        KeyService.IssuedKey issued = create();
        assertThat(issued.secret()).startsWith("sk-spw-").hasSize(50);
        assertThat(ApiKeySecrets.looksLikeKey(issued.secret())).isTrue();
        AppKey stored = store.findById(issued.key().id()).orElseThrow();
        assertThat(stored.secretHash()).isEqualTo(ApiKeySecrets.hash(issued.secret())).doesNotContain(issued.secret());
        assertThat(stored.displayPrefix()).isEqualTo(issued.secret().substring(0, 11) + "…");
        assertThat(issued.toString()).doesNotContain(issued.secret());
        assertThat(stored.name()).isEqualTo("chat");
    }

    @Test
    void theResolverFindsAnActiveKeyAndNothingForMalformedOrUnknownSecrets() {
        KeyService.IssuedKey issued = create();
        assertThat(resolve(issued.secret())).contains(issued.key());
        assertThat(resolve("sk-spw-" + "A".repeat(43))).isEmpty();
        assertThat(resolve("x".repeat(10_000))).isEmpty();
        assertThat(resolve("sk-spw-\u0000")).isEmpty();
    }

    @Test
    void aRevocationIsSeenOnceTheOneSecondCacheEntryExpires() {
        KeyService.IssuedKey issued = create();
        assertThat(resolve(issued.secret())).isPresent();
        keys.revoke(issued.key().id());
        nanos.addAndGet(Duration.ofMillis(999).toNanos());
        assertThat(resolve(issued.secret())).isPresent();
        nanos.addAndGet(Duration.ofMillis(2).toNanos());
        assertThat(resolve(issued.secret())).isEmpty();
    }

    @Test
    void rotationIssuesASuccessorAndKeepsTheOldKeyForTheOverlapOnly() {
        KeyService.IssuedKey old = create();
        KeyService.IssuedKey next = keys.rotate(old.key().id(), Duration.ofHours(1)).orElseThrow();
        assertThat(next.key().app()).isEqualTo("chat");
        assertThat(next.key().deployments()).containsExactly("gpt-4o");
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(resolve(old.secret())).isPresent();
        assertThat(resolve(next.secret())).isPresent();
        clock.advance(Duration.ofHours(1));
        assertThat(resolve(old.secret())).isEmpty();
        assertThat(resolve(next.secret())).isPresent();
    }

    @Test
    void anExpiredKeyIsRefusedEvenWhileCached() {
        KeyService.IssuedKey issued = keys.create(new KeyService.NewKey("tmp", "chat", Optional.empty(),
                Optional.empty(), Set.of(), KeyLimits.NONE, Optional.of(Duration.ofMinutes(5))));
        assertThat(resolve(issued.secret())).isPresent();
        clock.advance(Duration.ofMinutes(5));
        assertThat(resolve(issued.secret())).isEmpty();
    }

    @Test
    void rotatingOrRevokingAnUnknownKeyFindsNothing() {
        assertThat(keys.rotate("key_missing", Duration.ZERO)).isEmpty();
        assertThat(keys.revoke("key_missing")).isEmpty();
    }
}
