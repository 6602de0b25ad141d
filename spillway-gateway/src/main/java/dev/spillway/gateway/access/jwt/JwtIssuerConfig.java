package dev.spillway.gateway.access.jwt;

import dev.spillway.core.config.ConfigNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One trusted token issuer ({@code gateway.jwt.issuers[i]}): the exact {@code iss}, the accepted
 * audiences, where its keys are, which algorithms it may sign with, and which claims name the
 * caller. Immutable; validated on construction.
 */
public record JwtIssuerConfig(String issuer, Set<String> audiences, URI jwksUri, Set<String> algorithms,
        Duration clockSkew, Optional<String> type, String userClaim, String appClaim, Optional<String> teamClaim,
        String rolesClaim, String defaultApp) {
    static final Set<String> SUPPORTED_ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512", "EdDSA");
    static final Duration MAX_SKEW = Duration.ofMinutes(5);

    public JwtIssuerConfig {
        if (issuer == null || issuer.isBlank()) throw new IllegalArgumentException("issuer: is required");
        if (audiences.isEmpty()) throw new IllegalArgumentException("audience: is required (one or more)");
        if (jwksUri == null || !("https".equals(jwksUri.getScheme()) || "http".equals(jwksUri.getScheme()))) {
            throw new IllegalArgumentException("jwks-uri: must be an absolute http(s) URL, was " + jwksUri);
        }
        if (algorithms.isEmpty()) throw new IllegalArgumentException("algorithms: must name at least one");
        for (String a : algorithms) {
            if (!SUPPORTED_ALGORITHMS.contains(a)) {
                throw new IllegalArgumentException("algorithms: '" + a + "' is not an asymmetric JWS algorithm ("
                        + String.join(", ", SUPPORTED_ALGORITHMS.stream().sorted().toList()) + ")");
            }
        }
        if (clockSkew.isNegative() || clockSkew.compareTo(MAX_SKEW) > 0) {
            throw new IllegalArgumentException("clock-skew: must be between 0s and 5m, was " + clockSkew);
        }
        audiences = Set.copyOf(audiences);
        algorithms = Set.copyOf(algorithms);
    }

    static JwtIssuerConfig from(ConfigNode n) {
        n.allowOnly("issuer", "audience", "jwks-uri", "algorithms", "clock-skew", "type", "user-claim", "app-claim",
                "team-claim", "roles-claim", "default-app");
        String issuer = n.requiredString("issuer");
        List<String> audiences = n.strings("audience");
        String jwks = n.requiredString("jwks-uri");
        List<String> algorithms = n.has("algorithms") ? n.strings("algorithms") : List.of("RS256");
        Duration skew = n.duration("clock-skew", Duration.ofSeconds(60));
        return n.build(() -> new JwtIssuerConfig(issuer, Set.copyOf(audiences), jwks == null ? null : uri(jwks),
                Set.copyOf(algorithms), skew, n.optionalString("type"), n.string("user-claim", "oid"),
                n.string("app-claim", "azp"), n.optionalString("team-claim"), n.string("roles-claim", "roles"),
                n.string("default-app", "jwt")));
    }

    private static URI uri(String text) {
        try {
            return URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("jwks-uri: not a URL: " + text);
        }
    }
}
