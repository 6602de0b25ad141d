package dev.spillway.store.redis;

import dev.spillway.gateway.cache.semantic.SemanticStore;
import dev.spillway.gateway.cache.semantic.SemanticStoreContract;
import io.lettuce.core.RedisClient;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;

/** Each test's replicas share a fresh key prefix, so tests never see each other's entries. */
class RedisSemanticStoreTest extends SemanticStoreContract {
    private final String prefix = "spillway-semcache-test:" + UUID.randomUUID().toString().substring(0, 8) + ":";

    @BeforeAll
    static void redisIsUp() {
        LocalRedis.require();
    }

    @AfterEach
    void deleteTheTestKeys() {
        RedisClient client = RedisClient.create(LocalRedis.URL);
        try (var connection = client.connect()) {
            var redis = connection.sync();
            List<String> keys = redis.keys(prefix + "*");
            if (!keys.isEmpty()) redis.del(keys.toArray(String[]::new));
        } finally {
            client.shutdown();
        }
    }

    @Override
    protected SemanticStore openStore(Clock clock, int maxEntries) {
        return new RedisSemanticStore(LocalRedis.URL, Duration.ofSeconds(2), prefix, maxEntries, clock);
    }
}
