package dev.spillway.gateway.config;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * One upstream deployment Spillway may call: its base URL, wire shape, the name it has there,
 * credentials and timeouts. Backends come only from config (never from a client). Immutable.
 *
 * <p>For {@code api: azure} the URL is the resource endpoint ({@code https://x.openai.azure.com}) and
 * requests go to {@code {url}/openai/deployments/{deployment}/...?api-version=}; for {@code api: openai}
 * the URL includes the version prefix ({@code https://api.openai.com/v1}) and the body's
 * {@code model} is set to {@code deployment}.
 */
public record BackendConfig(
        String name,
        URI url,
        Api api,
        String deployment,
        String apiVersion,
        Auth auth,
        Optional<Secret> secret,
        Duration connectTimeout,
        Duration firstByteTimeout,
        Duration idleTimeout,
        int maxConnections) {

    public static final String DEFAULT_API_VERSION = "2024-10-21";

    /** The wire shape of the backend. */
    public enum Api { AZURE, OPENAI }

    /** How Spillway authenticates to the backend. */
    public enum Auth { NONE, API_KEY, BEARER }

    public BackendConfig {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name: is required");
        if (url == null || !url.isAbsolute() || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
                || url.getHost() == null) {
            throw new IllegalArgumentException("url: must be an absolute http(s) URL, was '" + url + "'");
        }
        if (deployment == null || deployment.isBlank()) throw new IllegalArgumentException("deployment: is required");
        if (auth != Auth.NONE && secret.isEmpty()) throw new IllegalArgumentException("secret: is required when auth is not none");
        positive("connect-timeout", connectTimeout);
        positive("first-byte-timeout", firstByteTimeout);
        positive("idle-timeout", idleTimeout);
        if (maxConnections < 1) throw new IllegalArgumentException("max-connections: must be >= 1, was " + maxConnections);
    }

    private static void positive(String key, Duration d) {
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(key + ": must be > 0");
    }

    public static BackendConfig from(ConfigNode n) {
        n.allowOnly("name", "url", "api", "deployment", "api-version", "auth", "secret",
                "connect-timeout", "first-byte-timeout", "idle-timeout", "max-connections");
        return n.build(() -> new BackendConfig(
                n.requiredString("name"),
                parseUri(n.requiredString("url")),
                n.choice("api", Api.class, Api.AZURE),
                n.requiredString("deployment"),
                n.string("api-version", DEFAULT_API_VERSION),
                n.choice("auth", Auth.class, Auth.NONE),
                n.has("secret") ? Optional.ofNullable(n.secret("secret")) : Optional.empty(),
                n.duration("connect-timeout", Duration.ofSeconds(2)),
                n.duration("first-byte-timeout", Duration.ofSeconds(60)),
                n.duration("idle-timeout", Duration.ofSeconds(30)),
                n.integer("max-connections", 256)));
    }

    private static URI parseUri(String text) {
        if (text == null) return null;
        try {
            return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("url: must be an absolute http(s) URL, was '" + text + "'");
        }
    }
}
