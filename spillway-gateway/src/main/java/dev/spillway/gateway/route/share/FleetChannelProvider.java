package dev.spillway.gateway.route.share;

import dev.spillway.gateway.access.StoreConfig;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A {@link FleetChannel} found on the class path ({@link java.util.ServiceLoader}); the Redis module
 * provides one for {@code gateway.store.type: redis}. Implementations are stateless factories.
 */
public interface FleetChannelProvider {
    StoreConfig.Type type();

    FleetChannel open(StoreConfig config);

    /** A channel over the shared store {@code store} names; empty for the memory store. */
    static Optional<FleetChannel> forStore(StoreConfig store) {
        if (store.type() == StoreConfig.Type.MEMORY) return Optional.empty();
        FleetChannelProvider provider = ServiceLoader.load(FleetChannelProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.type() == store.type()).findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "gateway.store.type " + store.type() + " needs spillway-store-redis on the class path"));
        return Optional.of(provider.open(store));
    }
}
