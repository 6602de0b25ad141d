package dev.spillway.gateway.signin;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How people sign in to the web consoles ({@code gateway.console.sign-in}): the optional
 * {@code viewer-key} (a shared read-only credential beside {@code gateway.admin.key}), which token
 * roles make an admin or a viewer (tokens come from the issuers of {@code gateway.jwt}; a token
 * with neither role signs in as an app owner), the idle {@code session-ttl}, and whether cookies
 * are {@code Secure} (default: when the listener has TLS), and an OpenID provider to sign in with
 * ({@code oidc}, whose ID-token roles map the same way). Immutable.
 */
public record SignInConfig(Optional<Secret> viewerKey, Set<String> adminRoles, Set<String> viewerRoles,
        Duration sessionTtl, Optional<Boolean> secureCookies, Optional<OidcSignInConfig> oidc) {
    public static final SignInConfig DEFAULT = new SignInConfig(Optional.empty(), Set.of("spillway.admin"),
            Set.of("spillway.viewer"), Duration.ofHours(8), Optional.empty(), Optional.empty());

    public SignInConfig {
        adminRoles = Set.copyOf(adminRoles);
        viewerRoles = Set.copyOf(viewerRoles);
        if (sessionTtl.compareTo(Duration.ofMinutes(1)) < 0 || sessionTtl.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("session-ttl: must be between 1m and 7d, was " + sessionTtl);
        }
    }

    public static SignInConfig from(ConfigNode n) {
        if (!n.isPresent()) return DEFAULT;
        n.allowOnly("viewer-key", "admin-roles", "viewer-roles", "session-ttl", "secure-cookies", "oidc");
        Optional<Secret> viewer = n.has("viewer-key") ? Optional.ofNullable(n.secret("viewer-key")) : Optional.empty();
        List<String> admins = n.has("admin-roles") ? n.strings("admin-roles") : List.copyOf(DEFAULT.adminRoles);
        List<String> viewers = n.has("viewer-roles") ? n.strings("viewer-roles") : List.copyOf(DEFAULT.viewerRoles);
        Optional<OidcSignInConfig> oidc = n.has("oidc") ? Optional.ofNullable(n.object("oidc", OidcSignInConfig::from))
                : Optional.empty();
        return n.build(() -> new SignInConfig(viewer, Set.copyOf(admins), Set.copyOf(viewers),
                n.duration("session-ttl", DEFAULT.sessionTtl),
                n.has("secure-cookies") ? Optional.of(n.bool("secure-cookies", true)) : Optional.empty(), oidc));
    }
}
