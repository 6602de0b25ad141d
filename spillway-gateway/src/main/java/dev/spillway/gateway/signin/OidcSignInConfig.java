package dev.spillway.gateway.signin;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.signin.OidcConfig;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * {@code gateway.console.sign-in.oidc}: the provider behind "Sign in with ..." ({@link OidcConfig}),
 * the ID-token claim whose values are matched against {@code admin-roles} and {@code viewer-roles}
 * ({@code roles-claim}, default {@code roles}) and the claim naming the person, which an app
 * owner's keys carry as {@code owner} ({@code user-claim}, default {@code oid}, else {@code sub}:
 * the same as for a pasted token). The redirect URI must end in {@link #CALLBACK}. Immutable.
 */
public record OidcSignInConfig(OidcConfig provider, String rolesClaim, String userClaim) {
    /** The console's callback route, which the provider redirects the browser to. */
    public static final String CALLBACK = "/ui/oidc/callback";

    public OidcSignInConfig {
        Objects.requireNonNull(provider, "provider");
        if (!provider.redirectUri().getPath().endsWith(CALLBACK)) {
            throw new IllegalArgumentException("redirect-uri: must end in " + CALLBACK + " (the console's callback),"
                    + " was " + provider.redirectUri());
        }
        if (rolesClaim.isBlank()) throw new IllegalArgumentException("roles-claim: must not be blank");
        if (userClaim.isBlank()) throw new IllegalArgumentException("user-claim: must not be blank");
    }

    static OidcSignInConfig from(ConfigNode n) {
        Set<String> keys = new HashSet<>(OidcConfig.KEYS);
        keys.addAll(Set.of("roles-claim", "user-claim"));
        n.allowOnly(keys);
        OidcConfig provider = OidcConfig.read(n);
        String roles = n.string("roles-claim", "roles");
        String user = n.string("user-claim", "oid");
        return provider == null ? null : n.build(() -> new OidcSignInConfig(provider, roles, user));
    }
}
