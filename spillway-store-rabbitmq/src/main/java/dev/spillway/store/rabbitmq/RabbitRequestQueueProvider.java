package dev.spillway.store.rabbitmq;

import dev.spillway.gateway.batch.RabbitConfig;
import dev.spillway.gateway.batch.RequestQueue;
import dev.spillway.gateway.batch.RequestQueueProvider;
import java.util.Set;

/** Opens {@link RabbitRequestQueue} for {@code gateway.batch.rabbitmq}; found by the ServiceLoader. Stateless. */
public final class RabbitRequestQueueProvider implements RequestQueueProvider {
    @Override
    public RequestQueue open(RabbitConfig config, Set<String> deployments) throws Exception {
        return RabbitRequestQueue.open(config, deployments);
    }
}
