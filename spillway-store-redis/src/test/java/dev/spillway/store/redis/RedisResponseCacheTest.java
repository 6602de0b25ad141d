package dev.spillway.store.redis;

import dev.spillway.gateway.cache.ResponseCache;
import dev.spillway.gateway.cache.ResponseCacheContract;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;

class RedisResponseCacheTest extends ResponseCacheContract {
    @BeforeAll
    static void redisIsUp() {
        LocalRedis.require();
    }

    @Override
    protected ResponseCache newCache() {
        // A prefix per test: purges scan only this test's keys, whoever else shares the server.
        return new RedisResponseCache(LocalRedis.URL, Duration.ofSeconds(2),
                "spillway-cache-test:" + UUID.randomUUID() + ":");
    }

    /** Redis expires keys on its own clock, which a test cannot move: the contract's short TTL is waited out. */
    @Override
    protected void pass(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected Duration shortTtl() {
        return Duration.ofMillis(200);
    }
}
