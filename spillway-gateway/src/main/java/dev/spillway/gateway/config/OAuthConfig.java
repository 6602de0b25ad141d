package dev.spillway.gateway.config;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * An OAuth2 client-credentials identity in Entra ID's shape: tenant, client id, client secret and
 * scope. The token URL defaults to Entra's endpoint for the tenant and may point anywhere (a test's
 * local endpoint). Tokens are refreshed {@code refresh-before} their expiry. Immutable.
 */
public record OAuthConfig(String tenant, String clientId, Secret clientSecret, String scope, URI tokenUrl,
                          Duration refreshBefore) {
    public static final String COGNITIVE_SERVICES_SCOPE = "https://cognitiveservices.azure.com/.default";

    public OAuthConfig {
        if (clientId == null || clientId.isBlank()) throw new IllegalArgumentException("client-id: is required");
        Objects.requireNonNull(clientSecret, "client-secret: is required");
        if (tokenUrl == null || !tokenUrl.isAbsolute()) throw new IllegalArgumentException("token-url: must be an absolute URL (or set tenant)");
        if (refreshBefore.isNegative()) throw new IllegalArgumentException("refresh-before: must be >= 0");
    }

    static OAuthConfig from(ConfigNode n) {
        n.allowOnly("tenant", "client-id", "client-secret", "scope", "token-url", "refresh-before");
        return n.build(() -> {
            String tenant = n.string("tenant", "");
            String url = n.string("token-url", tenant.isEmpty() ? ""
                    : "https://login.microsoftonline.com/" + tenant + "/oauth2/v2.0/token");
            return new OAuthConfig(tenant, n.requiredString("client-id"), n.secret("client-secret"),
                    n.string("scope", COGNITIVE_SERVICES_SCOPE), url.isEmpty() ? null : URI.create(url),
                    n.duration("refresh-before", Duration.ofMinutes(5)));
        });
    }
}
