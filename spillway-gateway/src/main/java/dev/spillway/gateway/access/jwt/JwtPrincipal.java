package dev.spillway.gateway.access.jwt;

import java.util.Optional;
import java.util.Set;

/** Who a verified token says the caller is: user id ({@code oid} or {@code sub}), app, team, roles. Immutable. */
public record JwtPrincipal(String issuer, String user, String app, Optional<String> team, Set<String> roles) {
    public JwtPrincipal {
        roles = Set.copyOf(roles);
    }
}
