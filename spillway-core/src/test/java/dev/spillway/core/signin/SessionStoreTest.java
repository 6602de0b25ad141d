package dev.spillway.core.signin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SessionStoreTest {
    private record User(String id) implements SessionStore.Principal {
        @Override
        public String sessionLabel() {
            return id;
        }
    }

    private final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final SessionStore<User> store = new SessionStore<>(clock, new SplittableRandom(7), Duration.ofHours(1), 3);
    private final User alice = new User("local:alice");

    @Test
    void sessionIdsAndCsrfTokensAre256BitUrlSafeAndDistinct() {
        SessionStore.Session<User> s = store.create(alice);
        assertThat(Base64.getUrlDecoder().decode(s.id())).hasSize(32);
        assertThat(Base64.getUrlDecoder().decode(s.csrfToken())).hasSize(32);
        assertThat(s.id()).isNotEqualTo(s.csrfToken()).isNotEqualTo(store.create(alice).id());
    }

    @Test
    void sessionIsFoundUntilItsIdleLifetimeRunsOut() {
        SessionStore.Session<User> s = store.create(alice);
        clock.advance(Duration.ofMinutes(59));
        assertThat(store.find(s.id())).map(SessionStore.Session::who).contains(alice);
        clock.advance(Duration.ofMinutes(59));
        assertThat(store.find(s.id())).as("activity slid the expiry forward").isPresent();
        clock.advance(Duration.ofMinutes(61));
        assertThat(store.find(s.id())).isEmpty();
    }

    @Test
    void signOutRemovesTheSessionAndUnknownIdsFindNothing() {
        SessionStore.Session<User> s = store.create(alice);
        store.remove(s.id());
        assertThat(store.find(s.id())).isEmpty();
        assertThat(store.find("forged")).isEmpty();
    }

    @Test
    void everySignInGetsAFreshSession() {
        assertThat(store.create(alice).id()).isNotEqualTo(store.create(alice).id());
    }

    @Test
    void theCapRefusesNewSessionsUntilExpiredOnesCanBeSwept() {
        for (int i = 0; i < 3; i++) store.create(alice);
        assertThatThrownBy(() -> store.create(alice)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("too many sessions");
        clock.advance(Duration.ofHours(1));
        assertThat(store.create(alice).id()).as("expired sessions were swept to make room").isNotBlank();
    }

    @Test
    void aSessionPrintsOnlyItsLabelNeverItsIdOrToken() {
        SessionStore.Session<User> s = store.create(alice);
        assertThat(s.toString()).isEqualTo("Session[local:alice]").doesNotContain(s.id()).doesNotContain(s.csrfToken());
    }
}
