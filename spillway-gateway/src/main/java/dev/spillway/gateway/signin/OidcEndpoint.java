package dev.spillway.gateway.signin;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.signin.LoginThrottle;
import dev.spillway.core.signin.OidcClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * "Sign in with ..." for the consoles. {@code GET /ui/oidc/start} sends the browser to the OpenID
 * provider with a fresh state, nonce and PKCE challenge ({@link OidcClient}), the state also in a
 * short-lived cookie; {@code GET /ui/oidc/callback} checks the state against that cookie, redeems
 * the code, verifies the ID token and starts a session as the sign-in form does, its role from the
 * token's roles ({@link SignIn#byRoles}). A refused sign-in goes back to the sign-in page with the
 * reason. Calls to the provider run on worker threads, at most as many at once as the
 * {@link LoginThrottle} allows. Thread-safe; one per gateway.
 */
public final class OidcEndpoint {
    public static final String START = "/ui/oidc/start";
    private static final String HOME = "/ui/";
    private static final String LOGIN_PAGE = "/ui/login.html";

    private final OidcClient client;
    private final OidcSignInConfig config;
    private final SignIn signIn;
    private final WebGuard guard;
    private final LoginThrottle throttle;

    OidcEndpoint(OidcClient client, OidcSignInConfig config, SignIn signIn, WebGuard guard, LoginThrottle throttle) {
        this.client = client;
        this.config = config;
        this.signIn = signIn;
        this.guard = guard;
        this.throttle = throttle;
    }

    /** The button's text: {@code display-name}. */
    public String displayName() {
        return client.displayName();
    }

    public static boolean owns(String path) {
        return path.equals(START) || path.equals(OidcSignInConfig.CALLBACK);
    }

    public void handle(HttpServerRequest req) {
        if (req.method() != HttpMethod.GET) {
            WebGuard.fail(req, new SpillwayException.MethodNotAllowed(req.method().name(), "GET"));
        } else if (req.path().equals(START)) {
            start(req);
        } else {
            callback(req);
        }
    }

    private void start(HttpServerRequest req) {
        Vertx.currentContext().executeBlocking(client::begin, false).onComplete(r -> {
            if (r.failed()) {
                refused(req, r.cause());
                return;
            }
            req.response().addCookie(guard.loginStateCookie(r.result().state()));
            redirect(req, r.result().authorizationUrl().toString());
        });
    }

    private void callback(HttpServerRequest req) {
        String error = req.getParam("error");
        if (error != null) {
            refused(req, new OidcClient.OidcException("The identity provider reported: " + error));
            return;
        }
        String state = Optional.ofNullable(req.getParam("state")).orElse("");
        String code = Optional.ofNullable(req.getParam("code")).orElse("");
        String browserState = Optional.ofNullable(req.getCookie(WebGuard.LOGIN_STATE_COOKIE)).map(Cookie::getValue)
                .orElse("");
        if (!throttle.tryStartCheck()) {
            WebGuard.fail(req, new SpillwayException.RateLimited("Too many sign-ins at once; try again shortly.",
                    Duration.ofSeconds(1)));
            return;
        }
        Vertx.currentContext().executeBlocking(() -> signedIn(client.complete(state, code, browserState)), false)
                .onComplete(r -> {
                    throttle.done();
                    req.response().addCookie(guard.expiredLoginStateCookie());
                    if (r.failed()) {
                        refused(req, r.cause());
                        return;
                    }
                    guard.session(req).ifPresent(old -> guard.sessions().remove(old.id()));
                    req.response().addCookie(guard.cookie(guard.sessions().create(r.result()).id()));
                    redirect(req, HOME);
                });
    }

    /** Who the verified claims name ({@code user-claim}, else {@code sub}) and their role. */
    SignedIn signedIn(JWTClaimsSet claims) {
        String user = OidcClient.string(claims, config.userClaim()).orElse(claims.getSubject());
        // The subject is matched against key owners and shown on the pages: refuse control characters.
        if (user.chars().anyMatch(Character::isISOControl)) {
            throw new OidcClient.OidcException("The ID token's user claim holds a control character.");
        }
        return signIn.byRoles(user, OidcClient.strings(claims, config.rolesClaim()));
    }

    private static void refused(HttpServerRequest req, Throwable cause) {
        if (cause instanceof OidcClient.OidcException) {
            redirect(req, LOGIN_PAGE + "?error=" + URLEncoder.encode(cause.getMessage(), StandardCharsets.UTF_8));
        } else {
            WebGuard.fail(req, cause);
        }
    }

    private static void redirect(HttpServerRequest req, String location) {
        WebGuard.hardened(req.response()).setStatusCode(302).putHeader("location", location).end();
    }
}
