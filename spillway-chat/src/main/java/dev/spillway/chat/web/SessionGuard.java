package dev.spillway.chat.web;

import dev.spillway.chat.auth.ChatUser;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.signin.CrossSite;
import dev.spillway.core.signin.SessionStore;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Guards the API: finds the session named by the HttpOnly cookie (401 without one) and, for every
 * state-changing request, requires the request to come from our own origin and to echo the
 * session's CSRF token in {@code x-csrf-token} (403 otherwise; {@link CrossSite}). Thread-safe;
 * one per server.
 */
public final class SessionGuard implements Handler<RoutingContext> {
    public static final String COOKIE = "spillway_session";
    private static final String SESSION_KEY = SessionGuard.class.getName();

    private final SessionStore<ChatUser> sessions;
    private final boolean secureCookies;

    public SessionGuard(SessionStore<ChatUser> sessions, boolean secureCookies) {
        this.sessions = sessions;
        this.secureCookies = secureCookies;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Optional<SessionStore.Session<ChatUser>> session = Optional.ofNullable(ctx.request().getCookie(COOKIE))
                .flatMap(c -> sessions.find(c.getValue()));
        if (session.isEmpty()) {
            ctx.fail(new SpillwayException.Unauthenticated("Sign in first."));
            return;
        }
        if (CrossSite.isUnsafe(ctx.request().method())) {
            Optional<String> problem = CrossSite.problem(ctx.request(), Optional.of(session.get().csrfToken()));
            if (problem.isPresent()) {
                ctx.fail(new SpillwayException.Forbidden("csrf_rejected", problem.get()));
                return;
            }
        }
        ctx.put(SESSION_KEY, session.get());
        ctx.next();
    }

    /** The session this guard admitted the request with. */
    public static SessionStore.Session<ChatUser> session(RoutingContext ctx) {
        SessionStore.Session<ChatUser> s = ctx.get(SESSION_KEY);
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
}
