package dev.spillway.gateway.access.jwt;

import com.nimbusds.jwt.JWTClaimsSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Turns verified claims into a {@link JwtPrincipal} following the issuer's claim names. Stateless. */
final class ClaimsMapping {
    private ClaimsMapping() {
    }

    static JwtPrincipal principal(JwtIssuerConfig c, JWTClaimsSet claims) {
        String user = firstString(claims, c.userClaim()).or(() -> Optional.ofNullable(claims.getSubject()))
                .orElseThrow(() -> new JwtRejected("token names no user (" + c.userClaim() + " or sub)"));
        String app = firstString(claims, c.appClaim()).orElse(c.defaultApp());
        Optional<String> team = c.teamClaim().flatMap(name -> firstString(claims, name));
        return new JwtPrincipal(c.issuer(), printable(c.userClaim(), user), printable(c.appClaim(), app),
                team.map(t -> printable(c.teamClaim().orElseThrow(), t)), strings(claims, c.rolesClaim()));
    }

    /**
     * The user is forwarded to backends in a header and app and team are ledger keys: a claim with
     * control characters (CR, LF, NUL...) would split that header or the records, so it is refused.
     */
    private static String printable(String claim, String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new JwtRejected("claim '" + claim + "' holds a control character");
            }
        }
        return value;
    }

    /** A string claim, or the first string of a list claim (groups). */
    private static Optional<String> firstString(JWTClaimsSet claims, String name) {
        Object v = claims.getClaim(name);
        if (v instanceof String s && !s.isBlank()) return Optional.of(s);
        if (v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof String s) return Optional.of(s);
        return Optional.empty();
    }

    private static Set<String> strings(JWTClaimsSet claims, String name) {
        Object v = claims.getClaim(name);
        Set<String> out = new LinkedHashSet<>();
        if (v instanceof String s) out.add(s);
        if (v instanceof List<?> l) l.forEach(x -> { if (x instanceof String s) out.add(s); });
        return out;
    }
}
