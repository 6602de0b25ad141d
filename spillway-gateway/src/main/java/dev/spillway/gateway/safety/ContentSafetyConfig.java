package dev.spillway.gateway.safety;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * A guard's external check, {@code content-safety:}: an Azure AI Content Safety resource
 * ({@code endpoint}, required; {@code key}, sent as {@code Ocp-Apim-Subscription-Key}, default
 * none), its {@code api-version} (default {@code 2024-09-01}), the {@code timeout} of one check
 * (default 1s), what a failed or slow check does ({@code on-failure}: {@code closed} refuses the
 * request with a 503, the default; {@code open} lets it through and logs) and the category
 * {@code severity-threshold} that fires (0-7, default 4). Immutable.
 */
public record ContentSafetyConfig(URI endpoint, Optional<Secret> key, String apiVersion, Duration timeout,
        OnFailure onFailure, int severityThreshold) {
    /** What a check that failed or did not answer in time does to the request. */
    public enum OnFailure { OPEN, CLOSED }

    public ContentSafetyConfig {
        if (endpoint == null || !endpoint.isAbsolute() || endpoint.getHost() == null
                || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
            throw new IllegalArgumentException("endpoint: must be an absolute http(s) URL, was '" + endpoint + "'");
        }
        if (apiVersion == null || apiVersion.isBlank()) throw new IllegalArgumentException("api-version: must not be empty");
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout: must be > 0, was " + timeout);
        if (severityThreshold < 0 || severityThreshold > 7) {
            throw new IllegalArgumentException("severity-threshold: must be 0-7, was " + severityThreshold);
        }
    }

    static Optional<ContentSafetyConfig> from(ConfigNode n) {
        if (!n.isPresent()) return Optional.empty();
        n.allowOnly("endpoint", "key", "api-version", "timeout", "on-failure", "severity-threshold");
        String endpoint = n.requiredString("endpoint");
        Optional<Secret> key = n.has("key") ? Optional.ofNullable(n.secret("key")) : Optional.empty();
        return Optional.ofNullable(n.build(() -> new ContentSafetyConfig(uri(endpoint), key,
                n.string("api-version", "2024-09-01"), n.duration("timeout", Duration.ofSeconds(1)),
                n.choice("on-failure", OnFailure.class, OnFailure.CLOSED), n.integer("severity-threshold", 4))));
    }

    private static URI uri(String text) {
        if (text == null) return null;
        try {
            return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("endpoint: must be an absolute http(s) URL, was '" + text + "'");
        }
    }
}
