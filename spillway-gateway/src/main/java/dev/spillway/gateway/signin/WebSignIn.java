package dev.spillway.gateway.signin;

import dev.spillway.core.signin.LoginThrottle;
import dev.spillway.core.signin.OidcClient;
import dev.spillway.gateway.access.jwt.JwtVerifier;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.safety.OutboundHosts;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;

/**
 * The sign-in every web console of one gateway shares (the operator's console at {@code /ui}, the
 * developer portal): one session store behind one cookie, its guard, its session endpoint and,
 * with {@code sign-in.oidc}, the OpenID redirect flow. {@link #possible} is false when nothing to
 * sign in with is configured; the consoles are then not served. Built once per gateway server;
 * thread-safe.
 */
public record WebSignIn(WebGuard guard, SessionEndpoint endpoint, boolean possible, Optional<OidcEndpoint> oidc) {
    public static WebSignIn open(GatewayConfig config, Optional<JwtVerifier> jwt, Clock clock) {
        SignInConfig c = config.console().signIn();
        SecureRandom random = new SecureRandom();
        WebGuard guard = new WebGuard(new Sessions(clock, random, c.sessionTtl()),
                c.secureCookies().orElse(config.tls().isPresent()));
        SignIn signIn = new SignIn(config.admin().key(), c, jwt);
        LoginThrottle throttle = new LoginThrottle(clock, Math.max(1, Runtime.getRuntime().availableProcessors()));
        Optional<OidcEndpoint> oidc = c.oidc().map(o -> new OidcEndpoint(
                new OidcClient(o.provider(), clock, random, uri -> OutboundHosts.allows(config, uri)),
                o, signIn, guard, throttle));
        return new WebSignIn(guard, new SessionEndpoint(signIn, guard, throttle), signIn.possible(), oidc);
    }
}
