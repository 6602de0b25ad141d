package dev.spillway.core.signin;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.Secret;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An OpenID Connect provider to sign in with (authorization code + PKCE), as both apps configure
 * it: the chat app's {@code chat.oidc:} and the consoles' {@code gateway.console.sign-in.oidc:}.
 * {@code client-secret} is optional (public clients). What each app reads from the ID token
 * (groups, roles, owner) is its own config, beside these {@link #KEYS}. Immutable.
 */
public record OidcConfig(URI issuer, String clientId, Optional<Secret> clientSecret, URI redirectUri,
                         List<String> scopes, String displayName) {
    /** The keys {@link #read} reads; an app's section allows these and its own. */
    public static final Set<String> KEYS = Set.of("issuer", "client-id", "client-secret", "redirect-uri", "scopes",
            "display-name");

    public OidcConfig {
        Objects.requireNonNull(issuer, "issuer: is required");
        if (clientId == null || clientId.isBlank()) throw new IllegalArgumentException("client-id: is required");
        Objects.requireNonNull(redirectUri, "redirect-uri: is required");
        if (!redirectUri.isAbsolute()) throw new IllegalArgumentException("redirect-uri: must be an absolute URL");
        if (!scopes.contains("openid")) throw new IllegalArgumentException("scopes: must include 'openid'");
        scopes = List.copyOf(scopes);
    }

    /** Reads {@link #KEYS} from {@code node} (the caller checks for unknown keys). */
    public static OidcConfig read(ConfigNode node) {
        Optional<Secret> secret = node.has("client-secret") ? Optional.ofNullable(node.secret("client-secret"))
                : Optional.empty();
        String issuer = node.requiredString("issuer");
        String redirect = node.requiredString("redirect-uri");
        List<String> scopes = node.has("scopes") ? node.strings("scopes") : List.of("openid", "profile", "email");
        return node.build(() -> new OidcConfig(uri("issuer", issuer), node.requiredString("client-id"), secret,
                uri("redirect-uri", redirect), scopes, node.string("display-name", "single sign-on")));
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
