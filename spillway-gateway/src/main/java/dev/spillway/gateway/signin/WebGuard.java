package dev.spillway.gateway.signin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.error.ErrorEnvelope;
import dev.spillway.core.error.SpillwayException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The browser security of the web consoles (the chat app's bar, on plain Vert.x core): a strict
 * Content-Security-Policy (our own scripts and styles only, no inline code, no framing), the
 * session in an HttpOnly SameSite=Strict cookie, and for every state-changing request a same-origin
 * check plus the session's CSRF token echoed in {@code x-csrf-token}. Also the one place the
 * console APIs write JSON and error envelopes. Thread-safe; one per gateway.
 */
public final class WebGuard {
    public static final String COOKIE = "spillway_console";
    public static final String CSRF_HEADER = "x-csrf-token";
    /** The OpenID sign-in's state, binding the provider's callback to the browser that started it. */
    public static final String LOGIN_STATE_COOKIE = "spillway_console_oidc";
    private static final String LOGIN_STATE_PATH = "/ui/oidc/";
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    private final Sessions sessions;
    private final boolean secureCookies;

    public WebGuard(Sessions sessions, boolean secureCookies) {
        this.sessions = sessions;
        this.secureCookies = secureCookies;
    }

    public Sessions sessions() {
        return sessions;
    }

    /** Adds the hardening headers every console response carries (pages, scripts and API answers). */
    public static HttpServerResponse hardened(HttpServerResponse response) {
        return response.putHeader("content-security-policy", CSP)
                .putHeader("x-content-type-options", "nosniff")
                .putHeader("referrer-policy", "same-origin")
                .putHeader("x-frame-options", "DENY")
                .putHeader("cache-control", "no-store");
    }

    /** The session the request's cookie names, if it is live. */
    public Optional<Sessions.Session> session(HttpServerRequest request) {
        Cookie c = request.getCookie(COOKIE);
        return c == null ? Optional.empty() : sessions.find(c.getValue());
    }

    /**
     * The request's session, or a 401 without one; a state-changing request must also come from our
     * origin and carry the session's CSRF token (403 otherwise).
     */
    public Sessions.Session require(HttpServerRequest request) {
        Sessions.Session s = session(request).orElseThrow(() -> new SpillwayException.Unauthenticated("Sign in first."));
        if (isUnsafe(request.method())) {
            crossSiteProblem(request, Optional.of(s.csrfToken())).ifPresent(problem -> {
                throw new SpillwayException.Forbidden("csrf_rejected", problem);
            });
        }
        return s;
    }

    /** A session cookie for the browser: the server enforces the idle expiry. */
    public Cookie cookie(String sessionId) {
        return base(Cookie.cookie(COOKIE, sessionId));
    }

    public Cookie expiredCookie() {
        return base(Cookie.cookie(COOKIE, "").setMaxAge(0));
    }

    /**
     * The sign-in state cookie, for 10 minutes. {@code SameSite=Lax}, not Strict: the provider's
     * redirect to the callback is a cross-site navigation, on which a Strict cookie is not sent.
     */
    public Cookie loginStateCookie(String state) {
        return Cookie.cookie(LOGIN_STATE_COOKIE, state).setPath(LOGIN_STATE_PATH).setHttpOnly(true)
                .setSameSite(CookieSameSite.LAX).setSecure(secureCookies).setMaxAge(600);
    }

    public Cookie expiredLoginStateCookie() {
        return loginStateCookie("").setMaxAge(0);
    }

    private Cookie base(Cookie c) {
        return c.setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setSecure(secureCookies);
    }

    public static boolean isUnsafe(HttpMethod m) {
        return !(m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS);
    }

    /**
     * Why a state-changing request looks cross-site, or empty. {@code expectedToken} is empty for the
     * sign-in itself (no session yet), where only the origin is checked (login CSRF).
     */
    public static Optional<String> crossSiteProblem(HttpServerRequest request, Optional<String> expectedToken) {
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

    /**
     * The request's JSON object body (empty object when there is none), refused with 413 over
     * {@code maxBytes} (declared or read) and 400 when it is not a JSON object.
     */
    public static io.vertx.core.Future<JsonNode> jsonBody(HttpServerRequest request, int maxBytes) {
        String declared = request.getHeader("content-length");
        if (declared != null && declared.trim().matches("\\d{1,18}") && Long.parseLong(declared.trim()) > maxBytes) {
            return io.vertx.core.Future.failedFuture(new SpillwayException.PayloadTooLarge(maxBytes));
        }
        return request.body().map(b -> {
            if (b.length() > maxBytes) throw new SpillwayException.PayloadTooLarge(maxBytes);
            if (b.length() == 0) return dev.spillway.core.wire.Json.MAPPER.createObjectNode();
            try {
                JsonNode n = dev.spillway.core.wire.Json.MAPPER.readTree(b.getBytes());
                if (n == null || !n.isObject()) throw new SpillwayException.InvalidRequest("The body must be a JSON object.");
                return n;
            } catch (java.io.IOException e) {
                throw new SpillwayException.InvalidRequest("The body is not valid JSON.");
            }
        });
    }

    public static void json(HttpServerRequest request, int status, JsonNode body) {
        hardened(request.response()).setStatusCode(status).putHeader("content-type", "application/json")
                .end(body.toString());
    }

    /** Writes the error envelope for {@code error} (a non-Spillway failure is a 503 naming its cause). */
    public static void fail(HttpServerRequest request, Throwable error) {
        if (error instanceof java.util.concurrent.CompletionException && error.getCause() != null) error = error.getCause();
        SpillwayException e = error instanceof SpillwayException s ? s
                : new SpillwayException.Unavailable("The console could not do that: " + error.getMessage());
        HttpServerResponse resp = hardened(request.response()).setStatusCode(e.status())
                .putHeader("content-type", "application/json");
        e.headers().forEach(resp::putHeader);
        resp.end(Buffer.buffer(ErrorEnvelope.of(e)));
    }
}
