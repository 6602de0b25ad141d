package dev.spillway.chat.auth;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.Secret;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code chat.oidc:} section: an OpenID Connect provider for sign-in with authorization code +
 * PKCE. {@code client-secret} is optional (public clients); {@code groups-claim} names the ID-token
 * claim holding the user's groups. Immutable.
 */
public record OidcConfig(URI issuer, String clientId, Optional<Secret> clientSecret, URI redirectUri,
                         String groupsClaim, List<String> scopes, String displayName) {
    public OidcConfig {
        Objects.requireNonNull(issuer, "issuer: is required");
        if (clientId == null || clientId.isBlank()) throw new IllegalArgumentException("client-id: is required");
        Objects.requireNonNull(redirectUri, "redirect-uri: is required");
        if (!redirectUri.isAbsolute()) throw new IllegalArgumentException("redirect-uri: must be an absolute URL");
        if (!scopes.contains("openid")) throw new IllegalArgumentException("scopes: must include 'openid'");
        scopes = List.copyOf(scopes);
    }

    public static OidcConfig from(ConfigNode node) {
        node.allowOnly("issuer", "client-id", "client-secret", "redirect-uri", "groups-claim", "scopes", "display-name");
        Optional<Secret> secret = node.has("client-secret") ? Optional.ofNullable(node.secret("client-secret"))
                : Optional.empty();
        String issuer = node.requiredString("issuer");
        String redirect = node.requiredString("redirect-uri");
        List<String> scopes = node.has("scopes") ? node.strings("scopes") : List.of("openid", "profile", "email");
        return node.build(() -> new OidcConfig(uri("issuer", issuer), node.requiredString("client-id"), secret,
                uri("redirect-uri", redirect), node.string("groups-claim", "groups"), scopes,
                node.string("display-name", "single sign-on")));
    }

    private static URI uri(String key, String value) {
        Objects.requireNonNull(value, key + ": is required");
        try {
            URI u = URI.create(value);
            if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) throw new IllegalArgumentException();
            return u;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": must be an absolute http(s) URL, was '" + value + "'");
        }
    }
}
