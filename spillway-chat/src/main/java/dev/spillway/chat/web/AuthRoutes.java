package dev.spillway.chat.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.chat.auth.ChatOidcConfig;
import dev.spillway.chat.auth.ChatUser;
import dev.spillway.chat.auth.LocalUser;
import dev.spillway.chat.auth.PasswordHasher;
import dev.spillway.chat.auth.SessionStore;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.signin.LoginThrottle;
import dev.spillway.core.signin.OidcClient;
import dev.spillway.core.wire.Json;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Sign-in and sign-out: local users (PBKDF2 hashes from config) and OpenID Connect. The login form
 * is protected by a double-submit token (cookie + header) and a {@link LoginThrottle}; every
 * sign-in starts a fresh session.
 * Thread-safe; one per server.
 */
public final class AuthRoutes {
    static final String LOGIN_CSRF_COOKIE = "spillway_login_csrf";
    static final String OIDC_STATE_COOKIE = "spillway_oidc_state";

    private final Map<String, LocalUser> users;
    private final Optional<ChatOidcConfig.SignOn> oidc;
    private final SessionStore sessions;
    private final SessionGuard guard;
    private final Optional<String> timingDecoy;
    private final LoginThrottle throttle;

    public AuthRoutes(List<LocalUser> users, Optional<ChatOidcConfig.SignOn> oidc, SessionStore sessions, SessionGuard guard,
                      LoginThrottle throttle) {
        this.users = users.stream().collect(Collectors.toUnmodifiableMap(LocalUser::name, Function.identity()));
        this.oidc = oidc;
        this.sessions = sessions;
        this.guard = guard;
        this.timingDecoy = users.stream().map(LocalUser::passwordHash).findFirst();
        this.throttle = throttle;
    }

    public void mount(Router router) {
        router.get("/auth/options").handler(this::options);
        router.post("/auth/login").handler(this::login);
        router.post("/auth/logout").handler(guard).handler(this::logout);
        router.get("/auth/oidc/start").handler(this::oidcStart);
        router.get("/auth/oidc/callback").handler(this::oidcCallback);
    }

    private void options(RoutingContext ctx) {
        String token = sessions.randomToken();
        ctx.response().addCookie(guard.base(Cookie.cookie(LOGIN_CSRF_COOKIE, token).setMaxAge(3600)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("csrf", token);
        body.put("localUsers", !users.isEmpty());
        body.put("oidc", oidc.map(o -> Map.of("enabled", true, "name", o.client().displayName())).orElse(Map.of("enabled", false)));
        Responses.json(ctx, 200, body);
    }

    private void login(RoutingContext ctx) {
        Cookie expected = ctx.request().getCookie(LOGIN_CSRF_COOKIE);
        Optional<String> problem = expected == null ? Optional.of("Reload the sign-in page and try again.")
                : SessionGuard.crossSiteProblem(ctx.request(), expected.getValue());
        if (problem.isPresent()) {
            ctx.fail(new SpillwayException.Forbidden("csrf_rejected", problem.get()));
            return;
        }
        JsonNode body = parse(ctx);
        String name = body.path("username").asText("");
        char[] password = body.path("password").asText("").toCharArray();
        Optional<Duration> locked = throttle.lockedFor(name);
        if (locked.isPresent()) {
            ctx.fail(new SpillwayException.RateLimited("Too many failed sign-ins; try again later.", locked.get()));
            return;
        }
        if (!throttle.tryStartCheck()) {
            ctx.fail(new SpillwayException.RateLimited("Too many sign-ins at once; try again shortly.", Duration.ofSeconds(1)));
            return;
        }
        Responses.blocking(ctx, () -> authenticate(name, password)).onComplete(result -> {
            throttle.done();
            if (result.failed()) {
                ctx.fail(result.cause());
            } else if (result.result().isEmpty()) {
                throttle.failed(name);
                ctx.fail(new SpillwayException.Unauthenticated("Wrong user name or password."));
            } else {
                throttle.succeeded(name);
                SessionStore.Session s = sessions.create(result.result().get());
                ctx.response().addCookie(guard.cookie(s.id()));
                ctx.response().addCookie(guard.expiredCookie(LOGIN_CSRF_COOKIE));
                Responses.json(ctx, 200, Map.of("name", s.user().name(), "csrf", s.csrfToken()));
            }
        });
    }

    private Optional<ChatUser> authenticate(String name, char[] password) {
        LocalUser user = users.get(name);
        if (user == null) {
            // Spend the same work as a real check, so timing does not reveal which names exist.
            timingDecoy.ifPresent(hash -> PasswordHasher.verify(password, hash));
            return Optional.empty();
        }
        if (!PasswordHasher.verify(password, user.passwordHash())) return Optional.empty();
        return Optional.of(new ChatUser("local:" + user.name(), user.name(), Set.copyOf(user.groups())));
    }

    private void logout(RoutingContext ctx) {
        sessions.remove(SessionGuard.session(ctx).id());
        ctx.response().addCookie(guard.expiredCookie(SessionGuard.COOKIE));
        ctx.response().setStatusCode(204).end();
    }

    private void oidcStart(RoutingContext ctx) {
        if (oidc.isEmpty()) {
            ctx.fail(new SpillwayException.NotFound("oidc_not_configured", "Single sign-on is not configured."));
            return;
        }
        Responses.blocking(ctx, () -> oidc.get().client().begin()).onComplete(result -> {
            if (result.failed()) {
                loginError(ctx, result.cause());
                return;
            }
            ctx.response().addCookie(guard.base(Cookie.cookie(OIDC_STATE_COOKIE, result.result().state()).setMaxAge(600)));
            redirect(ctx, result.result().authorizationUrl().toString());
        });
    }

    private void oidcCallback(RoutingContext ctx) {
        if (oidc.isEmpty()) {
            ctx.fail(new SpillwayException.NotFound("oidc_not_configured", "Single sign-on is not configured."));
            return;
        }
        String error = ctx.request().getParam("error");
        if (error != null) {
            loginError(ctx, new OidcClient.OidcException("The identity provider reported: " + error));
            return;
        }
        String state = Optional.ofNullable(ctx.request().getParam("state")).orElse("");
        String code = Optional.ofNullable(ctx.request().getParam("code")).orElse("");
        String browserState = Optional.ofNullable(ctx.request().getCookie(OIDC_STATE_COOKIE)).map(Cookie::getValue).orElse("");
        Responses.blocking(ctx, () -> oidc.get().complete(state, code, browserState)).onComplete(result -> {
            ctx.response().addCookie(guard.expiredCookie(OIDC_STATE_COOKIE));
            if (result.failed()) {
                loginError(ctx, result.cause());
                return;
            }
            SessionStore.Session s = sessions.create(result.result());
            ctx.response().addCookie(guard.cookie(s.id()));
            redirect(ctx, "/");
        });
    }

    private static void loginError(RoutingContext ctx, Throwable cause) {
        if (!(cause instanceof OidcClient.OidcException)) {
            ctx.fail(cause);
            return;
        }
        redirect(ctx, "/login.html?error=" + URLEncoder.encode(cause.getMessage(), StandardCharsets.UTF_8));
    }

    private static void redirect(RoutingContext ctx, String location) {
        ctx.response().setStatusCode(302).putHeader("location", location).putHeader("cache-control", "no-store").end();
    }

    static JsonNode parse(RoutingContext ctx) {
        String type = String.valueOf(ctx.request().getHeader("content-type"));
        if (!type.startsWith("application/json")) {
            throw new SpillwayException.InvalidRequest("invalid_request_error", "Send JSON (content-type: application/json).", null);
        }
        try {
            JsonNode node = Json.MAPPER.readTree(Optional.ofNullable(ctx.body().asString()).orElse(""));
            if (node == null || !node.isObject()) throw new SpillwayException.InvalidRequest("The body must be a JSON object.");
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SpillwayException.InvalidRequest("The body is not valid JSON: " + e.getOriginalMessage());
        }
    }

}
