package dev.spillway.store.redis;

import dev.spillway.gateway.access.limit.QuotaStore;
import dev.spillway.gateway.access.limit.QuotaStoreContract;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;

class RedisQuotaStoreTest extends QuotaStoreContract {
    @BeforeAll
    static void redisIsUp() {
        LocalRedis.require();
    }

    @Override
    protected QuotaStore newStore(Clock clock, Duration holdTtl) {
        return new RedisQuotaStore(LocalRedis.URL, Duration.ofSeconds(2), "spw-test:", clock, holdTtl);
    }
}
