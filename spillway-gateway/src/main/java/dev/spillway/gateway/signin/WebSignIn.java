package dev.spillway.gateway.signin;

import dev.spillway.gateway.access.jwt.JwtVerifier;
import dev.spillway.gateway.config.GatewayConfig;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;

/**
 * The sign-in every web console of one gateway shares (the operator's console at {@code /ui}, the
 * developer portal): one session store behind one cookie, its guard and its session endpoint.
 * {@link #possible} is false when nothing to sign in with is configured; the consoles are then not
 * served. Built once per gateway server; thread-safe.
 */
public record WebSignIn(WebGuard guard, SessionEndpoint endpoint, boolean possible) {
    public static WebSignIn open(GatewayConfig config, Optional<JwtVerifier> jwt, Clock clock) {
        SignInConfig c = config.console().signIn();
        WebGuard guard = new WebGuard(new Sessions(clock, new SecureRandom(), c.sessionTtl()),
                c.secureCookies().orElse(config.tls().isPresent()));
        SignIn signIn = new SignIn(config.admin().key(), c, jwt);
        return new WebSignIn(guard, new SessionEndpoint(signIn, guard, new SignInThrottle(clock)), signIn.possible());
    }
}
