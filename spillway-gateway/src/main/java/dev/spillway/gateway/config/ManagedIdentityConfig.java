package dev.spillway.gateway.config;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.Secret;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code identity:} section: the Azure managed identity the gateway runs as, used for backends
 * with {@code auth: managed-identity} and for Key Vault references. Three kinds, as Azure's own SDKs
 * tell them apart: {@code imds} (a VM or AKS node: the instance metadata endpoint),
 * {@code app-service} (App Service and Container Apps: {@code IDENTITY_ENDPOINT} with
 * {@code IDENTITY_HEADER}) and {@code workload} (AKS workload identity: a federated token file
 * exchanged at Entra's token endpoint); {@code auto} picks by the environment those platforms set.
 * Endpoints default to what the platform sets and may be pointed elsewhere only on loopback (a
 * test's simulator), never at another host. Immutable.
 */
public record ManagedIdentityConfig(Kind kind, Optional<String> clientId, URI imdsUrl,
        Optional<URI> identityEndpoint, Optional<Secret> identityHeader, Optional<String> tenantId,
        Optional<Path> tokenFile, URI authorityHost, Duration refreshBefore) {

    public static final URI IMDS = URI.create("http://169.254.169.254");
    public static final URI ENTRA = URI.create("https://login.microsoftonline.com");

    /** Where the identity's tokens come from. */
    public enum Kind { AUTO, IMDS, APP_SERVICE, WORKLOAD }

    public ManagedIdentityConfig {
        Objects.requireNonNull(kind, "kind: is required");
        if (!IMDS.equals(imdsUrl)) requireLoopback("imds-url", imdsUrl);
        identityEndpoint.filter(u -> !"https".equals(u.getScheme())).ifPresent(u -> requireLoopback("identity-endpoint", u));
        if (!"https".equals(authorityHost.getScheme())) requireLoopback("authority-host", authorityHost);
        if (kind == Kind.APP_SERVICE && (identityEndpoint.isEmpty() || identityHeader.isEmpty())) {
            throw new IllegalArgumentException("kind: app-service needs identity-endpoint and identity-header "
                    + "(IDENTITY_ENDPOINT and IDENTITY_HEADER are not set)");
        }
        if (kind == Kind.WORKLOAD && (tenantId.isEmpty() || clientId.isEmpty() || tokenFile.isEmpty())) {
            throw new IllegalArgumentException("kind: workload needs tenant-id, client-id and token-file "
                    + "(AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_FEDERATED_TOKEN_FILE are not all set)");
        }
        if (refreshBefore.isNegative()) throw new IllegalArgumentException("refresh-before: must be >= 0");
    }

    /** The kind in force: {@code auto} resolved as Azure's SDKs do (workload, then app-service, then imds). */
    public Kind effectiveKind() {
        if (kind != Kind.AUTO) return kind;
        if (tokenFile.isPresent() && tenantId.isPresent() && clientId.isPresent()) return Kind.WORKLOAD;
        if (identityEndpoint.isPresent() && identityHeader.isPresent()) return Kind.APP_SERVICE;
        return Kind.IMDS;
    }

    private static void requireLoopback(String key, URI url) {
        boolean loopback;
        try {
            loopback = url.getHost() != null && InetAddress.getByName(url.getHost()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            loopback = false;
        }
        if (!loopback || !"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException(key + ": may point only at the platform's endpoint or at loopback "
                    + "(a test's simulator), was '" + url + "'");
        }
    }

    /** Reads {@code identity:}; each key defaults to the environment variable its platform sets. */
    public static ManagedIdentityConfig from(ConfigNode n) {
        n.allowOnly("kind", "client-id", "imds-url", "identity-endpoint", "identity-header", "tenant-id",
                "token-file", "authority-host", "refresh-before");
        Map<String, String> env = n.environment();
        Optional<Secret> header = n.has("identity-header") ? Optional.ofNullable(n.secret("identity-header"))
                : Optional.ofNullable(env.get("IDENTITY_HEADER")).map(v -> Secret.parse("${env:IDENTITY_HEADER}", env));
        return n.build(() -> new ManagedIdentityConfig(
                n.choice("kind", Kind.class, Kind.AUTO),
                setting(n, "client-id", env, "AZURE_CLIENT_ID"),
                URI.create(trimmed(n.string("imds-url", IMDS.toString()))),
                setting(n, "identity-endpoint", env, "IDENTITY_ENDPOINT").map(URI::create),
                header,
                setting(n, "tenant-id", env, "AZURE_TENANT_ID"),
                setting(n, "token-file", env, "AZURE_FEDERATED_TOKEN_FILE").map(Path::of),
                URI.create(trimmed(setting(n, "authority-host", env, "AZURE_AUTHORITY_HOST").orElse(ENTRA.toString()))),
                n.duration("refresh-before", Duration.ofMinutes(5))));
    }

    private static Optional<String> setting(ConfigNode n, String key, Map<String, String> env, String variable) {
        return n.optionalString(key).or(() -> Optional.ofNullable(env.get(variable))).filter(s -> !s.isBlank());
    }

    private static String trimmed(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
