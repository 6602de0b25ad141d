package dev.spillway.store.redis;

import dev.spillway.gateway.access.QuotaStoreProvider;
import dev.spillway.gateway.access.StoreConfig;
import dev.spillway.gateway.access.limit.QuotaStore;
import java.time.Clock;

/** Makes the Redis quota store available as {@code gateway.store.type: redis}. Stateless. */
public final class RedisQuotaStoreProvider implements QuotaStoreProvider {
    @Override
    public StoreConfig.Type type() {
        return StoreConfig.Type.REDIS;
    }

    @Override
    public QuotaStore open(StoreConfig config, Clock clock) {
        return new RedisQuotaStore(config.redisUrl(), config.timeout(), config.keyPrefix(), clock, config.holdTtl());
    }
}
