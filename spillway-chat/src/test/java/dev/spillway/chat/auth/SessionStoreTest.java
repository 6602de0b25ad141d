package dev.spillway.chat.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SessionStoreTest {
    private final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final SessionStore store = new SessionStore(clock, new SplittableRandom(7), Duration.ofHours(1));
    private final ChatUser alice = new ChatUser("local:alice", "alice", Set.of("hr"));

    @Test
    void sessionIdsAndCsrfTokensAre256BitUrlSafeAndDistinct() {
        SessionStore.Session s = store.create(alice);
        assertThat(Base64.getUrlDecoder().decode(s.id())).hasSize(32);
        assertThat(Base64.getUrlDecoder().decode(s.csrfToken())).hasSize(32);
        assertThat(s.id()).isNotEqualTo(s.csrfToken()).isNotEqualTo(store.create(alice).id());
    }

    @Test
    void sessionIsFoundUntilItsIdleLifetimeRunsOut() {
        SessionStore.Session s = store.create(alice);
        clock.advance(Duration.ofMinutes(59));
        assertThat(store.find(s.id())).map(SessionStore.Session::user).contains(alice);
        clock.advance(Duration.ofMinutes(59));
        assertThat(store.find(s.id())).as("activity slid the expiry forward").isPresent();
        clock.advance(Duration.ofMinutes(61));
        assertThat(store.find(s.id())).isEmpty();
    }

    @Test
    void signOutRemovesTheSessionAndUnknownIdsFindNothing() {
        SessionStore.Session s = store.create(alice);
        store.remove(s.id());
        assertThat(store.find(s.id())).isEmpty();
        assertThat(store.find("forged")).isEmpty();
    }

    @Test
    void everySignInGetsAFreshSession() {
        assertThat(store.create(alice).id()).isNotEqualTo(store.create(alice).id());
    }
}
