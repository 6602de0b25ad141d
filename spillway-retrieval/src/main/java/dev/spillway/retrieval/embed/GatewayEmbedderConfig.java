package dev.spillway.retrieval.embed;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.Secret;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link GatewayEmbedder}, read from {@code chat.retrieval.gateway}: {@code base-url}
 * (required when used, e.g. {@code http://127.0.0.1:8080/v1}), {@code api-key} (required, a secret
 * reference), {@code model} (default {@code text-embedding-3-small}), {@code batch-size} (default
 * 64) and {@code timeout} (default 60s). Immutable.
 */
public record GatewayEmbedderConfig(String baseUrl, Secret apiKey, String model, int batchSize, Duration timeout) {
    public GatewayEmbedderConfig {
        Objects.requireNonNull(baseUrl, "base-url: is required");
        Objects.requireNonNull(apiKey, "api-key: is required");
        if (!baseUrl.matches("https?://[^\\s/]+(/\\S*)?")) {
            throw new IllegalArgumentException("base-url: must be an absolute http(s) URL, was '" + baseUrl + "'");
        }
        baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        if (model == null || model.isBlank()) throw new IllegalArgumentException("model: must not be empty");
        if (batchSize < 1 || batchSize > 2048) {
            throw new IllegalArgumentException("batch-size: must be 1-2048, was " + batchSize);
        }
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout: must be > 0");
    }

    static GatewayEmbedderConfig from(ConfigNode node) {
        node.allowOnly("base-url", "api-key", "model", "batch-size", "timeout");
        String baseUrl = node.requiredString("base-url");
        Secret key = node.secret("api-key");
        String model = node.string("model", "text-embedding-3-small");
        int batch = node.integer("batch-size", 64);
        Duration timeout = node.duration("timeout", Duration.ofSeconds(60));
        return node.build(() -> new GatewayEmbedderConfig(baseUrl, key, model, batch, timeout));
    }

    /** Reads the section only when present; the gateway embedder is optional. */
    public static java.util.Optional<GatewayEmbedderConfig> optionalFrom(ConfigNode node) {
        return node.isPresent() ? java.util.Optional.ofNullable(from(node)) : java.util.Optional.empty();
    }
}
