package dev.spillway.gateway.signin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.signin.LoginThrottle;
import dev.spillway.core.wire.Json;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code GET|POST|DELETE .../session}: who is signed in (with the CSRF token the page must echo),
 * sign in (a fresh session and its cookie), sign out. Mounted by each console under its own API
 * prefix; all share one {@link Sessions}. Failed sign-ins are slowed per address, and checks running
 * at once are capped ({@link LoginThrottle}).
 * Thread-safe; one per gateway.
 */
public final class SessionEndpoint {
    private static final int MAX_FORM = 16 * 1024;
    private final SignIn signIn;
    private final WebGuard guard;
    private final LoginThrottle throttle;

    public SessionEndpoint(SignIn signIn, WebGuard guard, LoginThrottle throttle) {
        this.signIn = signIn;
        this.guard = guard;
        this.throttle = throttle;
    }

    public void handle(HttpServerRequest req) {
        try {
            if (req.method() == HttpMethod.GET) {
                WebGuard.json(req, 200, describe(guard.session(req).orElseThrow(() ->
                        new SpillwayException.Unauthenticated("Sign in first."))));
            } else if (req.method() == HttpMethod.POST) {
                signIn(req);
            } else if (req.method() == HttpMethod.DELETE) {
                Sessions.Session s = guard.require(req);
                guard.sessions().remove(s.id());
                req.response().addCookie(guard.expiredCookie());
                WebGuard.hardened(req.response()).setStatusCode(204).end();
            } else {
                throw new SpillwayException.MethodNotAllowed(req.method().name(), "GET, POST, DELETE");
            }
        } catch (SpillwayException e) {
            WebGuard.fail(req, e);
        }
    }

    private void signIn(HttpServerRequest req) {
        WebGuard.crossSiteProblem(req, Optional.empty()).ifPresent(p -> {
            throw new SpillwayException.Forbidden("csrf_rejected", p);
        });
        String address = req.remoteAddress() == null ? "" : req.remoteAddress().hostAddress();
        throttle.lockedFor(address).ifPresent(wait -> {
            throw new SpillwayException.RateLimited("Too many failed sign-ins from this address; try again in "
                    + Math.max(1, wait.toSeconds()) + " s.", wait);
        });
        if (!throttle.tryStartCheck()) {
            throw new SpillwayException.RateLimited("Too many sign-ins at once; try again shortly.", Duration.ofSeconds(1));
        }
        WebGuard.jsonBody(req, MAX_FORM)
                .compose(form -> Future.fromCompletionStage(signIn.verify(form)))
                .onComplete(r -> throttle.done())
                .onFailure(e -> {
                    if (e instanceof SpillwayException.Unauthenticated) throttle.failed(address);
                })
                .onSuccess(who -> {
                    throttle.succeeded(address);
                    guard.session(req).ifPresent(old -> guard.sessions().remove(old.id()));
                    Sessions.Session s = guard.sessions().create(who);
                    req.response().addCookie(guard.cookie(s.id()));
                    WebGuard.json(req, 200, describe(s));
                })
                .onFailure(e -> WebGuard.fail(req, e));
    }

    private static ObjectNode describe(Sessions.Session s) {
        return Json.MAPPER.createObjectNode().put("subject", s.who().subject()).put("role", s.who().role().wire())
                .put("csrf-token", s.csrfToken()).put("expires-at", s.expiresAt().toString());
    }
}
