package dev.spillway.gateway.route.share;

import dev.spillway.gateway.access.StoreConfig;

/**
 * A {@link FleetChannel} found on the class path ({@link java.util.ServiceLoader}); the Redis module
 * provides one for {@code gateway.store.type: redis}. Implementations are stateless factories.
 */
public interface FleetChannelProvider {
    StoreConfig.Type type();

    FleetChannel open(StoreConfig config);
}
