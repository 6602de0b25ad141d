package dev.spillway.chat.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.signin.OidcClient;
import dev.spillway.core.signin.OidcConfig;
import java.time.Clock;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The {@code chat.oidc:} section: the provider to sign in with ({@link OidcConfig}) and
 * {@code groups-claim}, the ID-token claim holding the user's access groups. Immutable.
 */
public record ChatOidcConfig(OidcConfig provider, String groupsClaim) {
    public ChatOidcConfig {
        Objects.requireNonNull(provider, "provider");
        if (groupsClaim.isBlank()) throw new IllegalArgumentException("groups-claim: must not be blank");
    }

    public static ChatOidcConfig from(ConfigNode node) {
        Set<String> keys = new HashSet<>(OidcConfig.KEYS);
        keys.add("groups-claim");
        node.allowOnly(keys);
        OidcConfig provider = OidcConfig.read(node);
        String groups = node.string("groups-claim", "groups");
        return provider == null ? null : node.build(() -> new ChatOidcConfig(provider, groups));
    }

    /**
     * The person a verified ID token names: id {@code oidc:<sub>}, the first of
     * {@code preferred_username}, {@code name}, {@code email}, {@code sub} as display name, and the
     * groups of {@link #groupsClaim}.
     */
    ChatUser user(JWTClaimsSet claims) {
        String name = OidcClient.string(claims, "preferred_username").or(() -> OidcClient.string(claims, "name"))
                .or(() -> OidcClient.string(claims, "email")).orElse(claims.getSubject());
        return new ChatUser("oidc:" + claims.getSubject(), name, OidcClient.strings(claims, groupsClaim));
    }

    /** The shared client for this provider; outbound calls go wherever the config points. */
    public SignOn open(Clock clock, RandomGenerator random) {
        return new SignOn(new OidcClient(provider, clock, random, uri -> true), this);
    }

    /** Single sign-on for the chat app: the shared client, and its claims made a {@link ChatUser}. */
    public record SignOn(OidcClient client, ChatOidcConfig config) {
        public ChatUser complete(String state, String code, String browserState) {
            return config.user(client.complete(state, code, browserState));
        }
    }
}
