package dev.spillway.gateway.batch;

import java.util.Set;

/**
 * The broker behind {@link RequestQueue}, found on the class path ({@link java.util.ServiceLoader});
 * the RabbitMQ module ({@code spillway-store-rabbitmq}) provides it. Stateless.
 */
public interface RequestQueueProvider {
    /** Connects and declares the exchange and one queue per deployment. Blocking. */
    RequestQueue open(RabbitConfig config, Set<String> deployments) throws Exception;
}
