package dev.spillway.store.rabbitmq;

import static org.junit.jupiter.api.Assertions.fail;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.spillway.core.config.Secret;
import dev.spillway.gateway.batch.RabbitConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The real RabbitMQ on 127.0.0.1:5672 (guest/guest): tests skip loudly without it, except under
 * CI=true, where they fail. Each test gets its own exchange, prefixed {@code spillway-lanes-test-}.
 */
final class LocalRabbit {
    static final String URI = "amqp://guest:guest@127.0.0.1:5672/%2F";

    private LocalRabbit() {
    }

    static void require() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 5672), 500);
        } catch (IOException e) {
            String reason = "RabbitMQ is not reachable on 127.0.0.1:5672 (" + e.getMessage() + ")";
            if ("true".equals(System.getenv("CI"))) fail(reason + "; CI=true requires it");
            Assumptions.abort("SKIPPED LOUDLY: " + reason + "; start rabbitmq-server to run this test");
        }
    }

    /** A config on a fresh exchange of this test's own. */
    static RabbitConfig config(Optional<RabbitConfig.Identity> identity) {
        return new RabbitConfig(Secret.literal(URI), "spillway-lanes-test-" + UUID.randomUUID(), identity,
                Duration.ofSeconds(5));
    }

    /** A client connection, as an app would open one. */
    static Connection connect() throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setUri(URI);
        return f.newConnection("spillway-lanes-test");
    }

    /** Deletes what a test declared: its deployments' queues and its exchange. */
    static void cleanUp(RabbitConfig config, String... deployments) throws Exception {
        try (Connection c = connect(); Channel ch = c.createChannel()) {
            for (String d : deployments) ch.queueDelete(config.queue(d));
            ch.exchangeDelete(config.exchange());
        }
    }
}
