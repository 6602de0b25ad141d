package dev.spillway.store.redis;

import dev.spillway.gateway.access.StoreConfig;
import dev.spillway.gateway.route.share.FleetChannel;
import dev.spillway.gateway.route.share.FleetChannelProvider;

/** Lets replicas share what they learn about backends over {@code gateway.store.type: redis}. Stateless. */
public final class RedisFleetChannelProvider implements FleetChannelProvider {
    @Override
    public StoreConfig.Type type() {
        return StoreConfig.Type.REDIS;
    }

    @Override
    public FleetChannel open(StoreConfig config) {
        return new RedisFleetChannel(config.redisUrl(), config.timeout(), config.keyPrefix());
    }
}
