package dev.spillway.core.signin;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The cross-site checks of the web UIs (chat app, console, portal): a state-changing request must
 * come from our own origin and, once signed in, echo the session's CSRF token in
 * {@value #CSRF_HEADER}. Stateless.
 */
public final class CrossSite {
    public static final String CSRF_HEADER = "x-csrf-token";

    private CrossSite() {
    }

    public static boolean isUnsafe(HttpMethod m) {
        return !(m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS);
    }

    /**
     * Why a state-changing request looks cross-site, or empty. {@code expectedToken} is empty for the
     * sign-in itself (no session yet), where only the origin is checked (login CSRF).
     */
    public static Optional<String> problem(HttpServerRequest request, Optional<String> expectedToken) {
        String site = request.getHeader("sec-fetch-site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return Optional.of("Cross-site requests are not accepted (sec-fetch-site: " + site + ").");
        }
        String origin = request.getHeader("origin");
        String host = request.getHeader("host");
        if (origin != null && (host == null || !origin.replaceFirst("^https?://", "").equals(host))) {
            return Optional.of("Requests from another origin are not accepted.");
        }
        if (expectedToken.isEmpty()) return Optional.empty();
        String token = request.getHeader(CSRF_HEADER);
        if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                expectedToken.get().getBytes(StandardCharsets.UTF_8))) {
            return Optional.of("Missing or wrong " + CSRF_HEADER + " header; reload the page.");
        }
        return Optional.empty();
    }
}
