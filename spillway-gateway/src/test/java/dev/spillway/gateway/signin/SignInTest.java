package dev.spillway.gateway.signin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.Secret;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.testkit.FakeClock;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.access.jwt.JwtPrincipal;
import dev.spillway.gateway.console.ConsoleConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class SignInTest {
    private static final SignInConfig CONFIG = new SignInConfig(Optional.of(Secret.literal("viewer-secret-key")),
            Set.of("ops.admin"), Set.of("ops.reader"), Duration.ofHours(1), Optional.empty(), Optional.empty());
    private final SignIn signIn = new SignIn(Optional.of(Secret.literal("admin-secret-key")), CONFIG, Optional.empty());

    private SignedIn withKey(String key) throws Exception {
        try {
            return signIn.verify(Json.MAPPER.createObjectNode().put("key", key)).toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    @Test
    void theAdminAndViewerKeysGiveTheirRolesAndAnyOtherKeyIsRefused() throws Exception {
        assertThat(withKey("admin-secret-key")).isEqualTo(new SignedIn("admin-key", Role.ADMIN));
        assertThat(withKey("viewer-secret-key")).isEqualTo(new SignedIn("viewer-key", Role.VIEWER));
        assertThatThrownBy(() -> withKey("admin-secret-ke")).isInstanceOf(SpillwayException.Unauthenticated.class);
        assertThatThrownBy(() -> withKey("")).isInstanceOf(SpillwayException.Unauthenticated.class);
    }

    @Test
    void tokenRolesMapToAdminOrViewerAndOtherwiseToAnAppOwner() {
        assertThat(signIn.byToken(principal("u1", "ops.admin", "ops.reader")).role()).isEqualTo(Role.ADMIN);
        assertThat(signIn.byToken(principal("u2", "ops.reader")).role()).isEqualTo(Role.VIEWER);
        assertThat(signIn.byToken(principal("u3", "AI.User"))).isEqualTo(new SignedIn("u3", Role.APP_OWNER));
    }

    @Test
    void aTokenIsRefusedWhenNoIssuerIsConfigured() {
        assertThatThrownBy(() -> signIn.verify(Json.MAPPER.createObjectNode().put("token", "a.b.c"))
                .toCompletableFuture().get()).hasCauseInstanceOf(SpillwayException.Unauthenticated.class);
    }

    @Test
    void sessionsSlideAndLapseOnTheInjectedClock() {
        FakeClock clock = new FakeClock();
        Sessions sessions = new Sessions(clock, new Random(1), Duration.ofMinutes(10));
        Sessions.Session s = sessions.create(new SignedIn("admin-key", Role.ADMIN));
        clock.advance(Duration.ofMinutes(9));
        assertThat(sessions.find(s.id())).isPresent();
        clock.advance(Duration.ofMinutes(9));
        assertThat(sessions.find(s.id())).as("slid forward by the last use").isPresent();
        clock.advance(Duration.ofMinutes(11));
        assertThat(sessions.find(s.id())).isEmpty();
        assertThat(sessions.create(new SignedIn("a", Role.VIEWER)).id()).isNotEqualTo(s.id());
    }

    @Test
    void consoleConfigReadsItsSignInAndChecksItsBounds() {
        ConfigNode root = ConfigLoader.parse("""
                console:
                  rollup-retention: 40d
                  sign-in: { viewer-key: "v-key", admin-roles: [A], session-ttl: 30m, secure-cookies: true }
                """, Map.of());
        ConsoleConfig c = ConsoleConfig.from(root.child("console"));
        root.throwIfInvalid();
        assertThat(c.rollupRetention()).isEqualTo(Duration.ofDays(40));
        assertThat(c.signIn().adminRoles()).containsExactly("A");
        assertThat(c.signIn().viewerRoles()).containsExactly("spillway.viewer");
        assertThat(c.signIn().secureCookies()).contains(true);

        ConfigNode bad = ConfigLoader.parse("console: { sign-in: { session-ttl: 30s }, colour: red }", Map.of());
        ConsoleConfig.from(bad.child("console"));
        assertThatThrownBy(bad::throwIfInvalid).hasMessageContaining("session-ttl").hasMessageContaining("colour");
    }

    private static JwtPrincipal principal(String user, String... roles) {
        return new JwtPrincipal("iss", user, "app", Optional.empty(), Set.of(roles));
    }
}
