package dev.spillway.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ResponseCache} must do; run on Caffeine here and on Redis in spillway-store-redis. */
public abstract class ResponseCacheContract {
    protected static final Duration TTL = Duration.ofMinutes(5);
    protected ResponseCache cache;

    /** A fresh, empty store (a Redis one under a key prefix of its own). */
    protected abstract ResponseCache newCache();

    /** Lets {@code d} pass for the store's notion of time. */
    protected abstract void pass(Duration d);

    /** The shortest TTL the test may give an entry and still read it back at once. */
    protected Duration shortTtl() {
        return Duration.ofSeconds(1);
    }

    @BeforeEach
    void open() {
        cache = newCache();
    }

    @AfterEach
    void close() {
        cache.close();
    }

    static final Partition ACME = Partition.of("acme", "", List.of());
    static final Partition GLOBEX = Partition.of("globex", "", List.of());

    static CachedAnswer answer(String text) {
        String json = "{\"object\":\"chat.completion\",\"choices\":[{\"message\":{\"content\":\"" + text + "\"}}]}";
        return new CachedAnswer(json.getBytes(StandardCharsets.UTF_8), "ptu", 12, 34);
    }

    private Optional<CachedAnswer> get(CacheKey key) {
        return cache.get(key).toCompletableFuture().join();
    }

    private void put(CacheKey key, CachedAnswer a, Duration ttl) {
        cache.put(key, a, ttl).toCompletableFuture().join();
    }

    @Test
    void aStoredAnswerComesBackWhole() {
        CacheKey key = new CacheKey(ACME, "h1");
        put(key, answer("héllo ✓"), TTL);
        CachedAnswer back = get(key).orElseThrow();
        assertThat(new String(back.completion(), StandardCharsets.UTF_8)).contains("héllo ✓");
        assertThat(back.backend()).isEqualTo("ptu");
        assertThat(back.promptTokens()).isEqualTo(12);
        assertThat(back.completionTokens()).isEqualTo(34);
    }

    @Test
    void anUnknownKeyIsAMiss() {
        assertThat(get(new CacheKey(ACME, "nothing"))).isEmpty();
    }

    @Test
    void theSameRequestHashInAnotherPartitionIsAnotherEntry() {
        put(new CacheKey(ACME, "same"), answer("acme's"), TTL);
        assertThat(get(new CacheKey(GLOBEX, "same"))).isEmpty();
        Partition acmeSales = Partition.of("acme", "", List.of("sales"));
        assertThat(get(new CacheKey(acmeSales, "same"))).isEmpty();
    }

    @Test
    void anEntryIsGoneAfterItsTtl() {
        CacheKey key = new CacheKey(ACME, "short");
        put(key, answer("brief"), shortTtl());
        assertThat(get(key)).isPresent();
        pass(shortTtl().plusMillis(100));
        assertThat(get(key)).isEmpty();
    }

    @Test
    void aPurgeOfOneAppLeavesTheOthers() {
        put(new CacheKey(ACME, "a1"), answer("1"), TTL);
        put(new CacheKey(Partition.of("acme", "user:u1", List.of()), "a2"), answer("2"), TTL);
        put(new CacheKey(GLOBEX, "g1"), answer("3"), TTL);
        long removed = cache.purge(new CachePurge("acme", Optional.empty())).toCompletableFuture().join();
        assertThat(removed).isEqualTo(2);
        assertThat(get(new CacheKey(ACME, "a1"))).isEmpty();
        assertThat(get(new CacheKey(GLOBEX, "g1"))).isPresent();
    }

    @Test
    void aPurgeOfOnePartitionLeavesTheRestOfTheApp() {
        Partition u1 = Partition.of("acme", "user:u1", List.of());
        put(new CacheKey(ACME, "a1"), answer("1"), TTL);
        put(new CacheKey(u1, "a2"), answer("2"), TTL);
        long removed = cache.purge(new CachePurge("acme", Optional.of(u1.id()))).toCompletableFuture().join();
        assertThat(removed).isEqualTo(1);
        assertThat(get(new CacheKey(u1, "a2"))).isEmpty();
        assertThat(get(new CacheKey(ACME, "a1"))).isPresent();
    }

    @Test
    void aSecondPutReplacesTheFirst() {
        CacheKey key = new CacheKey(ACME, "twice");
        put(key, answer("old"), TTL);
        put(key, answer("new"), TTL);
        assertThat(new String(get(key).orElseThrow().completion(), StandardCharsets.UTF_8)).contains("new");
    }
}
