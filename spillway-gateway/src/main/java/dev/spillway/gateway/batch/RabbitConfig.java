package dev.spillway.gateway.batch;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.Secret;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code gateway.batch.rabbitmq}: the message-queue way into the lane. {@code uri} (required, a
 * secret reference: it holds the password) names the broker; apps publish to the direct exchange
 * {@code exchange} (default {@code spillway.requests}) with the deployment as routing key, and each
 * deployment's requests wait in the quorum queue {@code <exchange>.<deployment>}. A message without
 * an {@code api-key} header runs as {@code identity} when one is set ({@code app}, {@code team}),
 * and is refused otherwise. {@code confirm-timeout} (default 5s) bounds the wait for the broker's
 * publisher confirm of an answer. Immutable.
 */
public record RabbitConfig(Secret uri, String exchange, Optional<Identity> identity, Duration confirmTimeout) {

    /** Who a message without a key runs as: an app and its team, as a key of that app would. */
    public record Identity(String app, String team) {
        public Identity {
            if (app == null || app.isBlank()) throw new IllegalArgumentException("app: is required");
            Objects.requireNonNull(team, "team");
        }
    }

    public RabbitConfig {
        Objects.requireNonNull(uri, "uri: is required");
        if (exchange == null || exchange.isBlank()) throw new IllegalArgumentException("exchange: must not be blank");
        if (confirmTimeout.isNegative() || confirmTimeout.isZero()) {
            throw new IllegalArgumentException("confirm-timeout: must be > 0, was " + confirmTimeout);
        }
    }

    /** The quorum queue a deployment's requests wait in. */
    public String queue(String deployment) {
        return exchange + "." + deployment;
    }

    /** Reads {@code gateway.batch.rabbitmq}; absent means no message-queue way in. */
    static Optional<RabbitConfig> from(ConfigNode n) {
        if (!n.isPresent()) return Optional.empty();
        n.allowOnly("uri", "exchange", "identity", "confirm-timeout");
        Secret uri = n.secret("uri");
        Optional<Identity> identity = n.has("identity") ? Optional.ofNullable(n.object("identity", i -> {
            i.allowOnly("app", "team");
            return i.build(() -> new Identity(i.requiredString("app"), i.string("team", "")));
        })) : Optional.empty();
        return Optional.ofNullable(n.build(() -> new RabbitConfig(uri, n.string("exchange", "spillway.requests"),
                identity, n.duration("confirm-timeout", Duration.ofSeconds(5)))));
    }
}
