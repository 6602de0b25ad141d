package dev.spillway.gateway.config;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.Secret;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * One upstream deployment Spillway may call: its base URL, wire shape, the name it has there,
 * credentials and timeouts. Backends come only from config (never from a client). Immutable.
 *
 * <p>For {@code api: azure} the URL is the resource endpoint ({@code https://x.openai.azure.com}) and
 * requests go to {@code {url}/openai/deployments/{deployment}/...?api-version=}; for {@code api: openai}
 * the URL includes the version prefix ({@code https://api.openai.com/v1}) and the body's
 * {@code model} is set to {@code deployment}. {@code region} tags where the backend runs (the router
 * prefers the gateway's own region within a tier); {@code probe} is its background health check;
 * {@code auth: oauth2} takes bearer tokens from the {@code oauth} client-credentials identity;
 * {@code auth: managed-identity} from the gateway's {@code identity} (audience
 * {@code https://cognitiveservices.azure.com});
 * {@code stream-usage} (default true) says whether streams may ask it for
 * {@code stream_options.include_usage} (Azure API versions before 2024-09-01-preview reject it);
 * {@code ca-file} is a PEM bundle trusted for an https backend instead of the JDK's CAs (the host
 * name is always verified).
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
        int maxConnections,
        String region,
        ProbeConfig probe,
        Optional<OAuthConfig> oauth,
        boolean streamUsage,
        Optional<Path> caFile) {

    public static final String DEFAULT_API_VERSION = "2024-10-21";

    /** The wire shape of the backend. */
    public enum Api { AZURE, OPENAI }

    /** How Spillway authenticates to the backend. */
    public enum Auth { NONE, API_KEY, BEARER, OAUTH2, MANAGED_IDENTITY }

    public BackendConfig {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name: is required");
        if (url == null || !url.isAbsolute() || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
                || url.getHost() == null) {
            throw new IllegalArgumentException("url: must be an absolute http(s) URL, was '" + url + "'");
        }
        if (deployment == null || deployment.isBlank()) throw new IllegalArgumentException("deployment: is required");
        if ((auth == Auth.API_KEY || auth == Auth.BEARER) && secret.isEmpty()) {
            throw new IllegalArgumentException("secret: is required when auth is api-key or bearer");
        }
        if (auth == Auth.OAUTH2 && oauth.isEmpty()) throw new IllegalArgumentException("oauth: is required when auth is oauth2");
        if (region == null) throw new IllegalArgumentException("region: must not be null");
        positive("connect-timeout", connectTimeout);
        positive("first-byte-timeout", firstByteTimeout);
        positive("idle-timeout", idleTimeout);
        if (maxConnections < 1) throw new IllegalArgumentException("max-connections: must be >= 1, was " + maxConnections);
        if (caFile.isPresent() && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("ca-file: applies to https backends only, url is '" + url + "'");
        }
    }

    /** The shape before pools and identities: no region, default probe, no OAuth2 identity. */
    public BackendConfig(String name, URI url, Api api, String deployment, String apiVersion, Auth auth,
                         Optional<Secret> secret, Duration connectTimeout, Duration firstByteTimeout,
                         Duration idleTimeout, int maxConnections) {
        this(name, url, api, deployment, apiVersion, auth, secret, connectTimeout, firstByteTimeout,
                idleTimeout, maxConnections, "", ProbeConfig.DEFAULT, Optional.empty(), true, Optional.empty());
    }

    private static void positive(String key, Duration d) {
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(key + ": must be > 0");
    }

    public static BackendConfig from(ConfigNode n) {
        n.allowOnly("name", "url", "api", "deployment", "api-version", "auth", "secret",
                "connect-timeout", "first-byte-timeout", "idle-timeout", "max-connections", "region", "probe", "oauth",
                "stream-usage", "ca-file");
        ProbeConfig probe = n.object("probe", ProbeConfig::from);
        Optional<OAuthConfig> oauth = n.has("oauth") ? Optional.ofNullable(n.object("oauth", OAuthConfig::from)) : Optional.empty();
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
                n.integer("max-connections", 2048),
                n.string("region", ""),
                probe == null ? ProbeConfig.DEFAULT : probe, // its problem is already reported
                oauth,
                n.bool("stream-usage", true),
                caFile(n)));
    }

    private static Optional<Path> caFile(ConfigNode n) {
        Optional<Path> file = n.optionalString("ca-file").map(Path::of);
        file.filter(f -> !Files.isReadable(f))
                .ifPresent(f -> n.problem("ca-file", "no readable file at '" + f.toAbsolutePath() + "'"));
        return file;
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
