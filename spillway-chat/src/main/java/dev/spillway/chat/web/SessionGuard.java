package dev.spillway.chat.web;

import dev.spillway.chat.auth.SessionStore;
import dev.spillway.core.error.SpillwayException;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Guards the API: finds the session named by the HttpOnly cookie (401 without one) and, for every
 * state-changing request, requires the request to come from our own origin and to echo the
 * session's CSRF token in {@code x-csrf-token} (403 otherwise). Thread-safe; one per server.
 */
public final class SessionGuard implements Handler<RoutingContext> {
    public static final String COOKIE = "spillway_session";
    public static final String CSRF_HEADER = "x-csrf-token";
    private static final String SESSION_KEY = SessionGuard.class.getName();

    private final SessionStore sessions;
    private final boolean secureCookies;

    public SessionGuard(SessionStore sessions, boolean secureCookies) {
        this.sessions = sessions;
        this.secureCookies = secureCookies;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Optional<SessionStore.Session> session = Optional.ofNullable(ctx.request().getCookie(COOKIE))
                .flatMap(c -> sessions.find(c.getValue()));
        if (session.isEmpty()) {
            ctx.fail(new SpillwayException.Unauthenticated("Sign in first."));
            return;
        }
        if (isUnsafe(ctx.request().method())) {
            Optional<String> problem = crossSiteProblem(ctx.request(), session.get().csrfToken());
            if (problem.isPresent()) {
                ctx.fail(new SpillwayException.Forbidden("csrf_rejected", problem.get()));
                return;
            }
        }
        ctx.put(SESSION_KEY, session.get());
        ctx.next();
    }

    /** The session this guard admitted the request with. */
    public static SessionStore.Session session(RoutingContext ctx) {
        SessionStore.Session s = ctx.get(SESSION_KEY);
        if (s == null) throw new IllegalStateException("route is not behind SessionGuard");
        return s;
    }

    /** A browser-session cookie: the server enforces the idle expiry, so activity keeps it alive. */
    public Cookie cookie(String sessionId) {
        return base(Cookie.cookie(COOKIE, sessionId));
    }

    public Cookie expiredCookie(String name) {
        return base(Cookie.cookie(name, "").setMaxAge(0));
    }

    Cookie base(Cookie c) {
        return c.setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.LAX).setSecure(secureCookies);
    }

    static boolean isUnsafe(HttpMethod m) {
        return !(m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS);
    }

    /** Why a state-changing request looks cross-site, or empty when it carries our token from our origin. */
    static Optional<String> crossSiteProblem(HttpServerRequest request, String expectedToken) {
        String site = request.getHeader("sec-fetch-site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return Optional.of("Cross-site requests are not accepted (sec-fetch-site: " + site + ").");
        }
        String origin = request.getHeader("origin");
        String host = request.getHeader("host");
        if (origin != null && (host == null || !origin.replaceFirst("^https?://", "").equals(host))) {
            return Optional.of("Requests from another origin are not accepted.");
        }
        String token = request.getHeader(CSRF_HEADER);
        if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                expectedToken.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of("Missing or wrong " + CSRF_HEADER + " header; reload the page.");
        }
        return Optional.empty();
    }
}
