package dev.spillway.gateway.signin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * Console sessions, in memory (the chat app's shape): a random 256-bit id in an HttpOnly cookie,
 * its own CSRF token, a sliding idle expiry. A restart signs everyone out; each replica keeps its
 * own, so put the consoles behind sticky sessions or sign in again. Time and randomness are
 * injected. Thread-safe; one per gateway, shared by the console and the portal.
 */
public final class Sessions {
    /** Bounds memory if someone signs in in a loop; expired sessions are swept first. */
    private static final int MAX_SESSIONS = 10_000;

    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;
    private final RandomGenerator random;
    private final Duration ttl;

    public Sessions(Clock clock, RandomGenerator random, Duration ttl) {
        this.clock = clock;
        this.random = random;
        this.ttl = ttl;
    }

    /** One signed-in browser: who, the token its changes must echo, when it lapses. Immutable. */
    public record Session(String id, SignedIn who, String csrfToken, Instant expiresAt) {
        @Override
        public String toString() {
            return "Session[" + who.subject() + " " + who.role().wire() + "]";
        }
    }

    /** A fresh session (a new id on every sign-in, so a planted id is never promoted). */
    public Session create(SignedIn who) {
        if (sessions.size() >= MAX_SESSIONS) sweep();
        if (sessions.size() >= MAX_SESSIONS) throw new IllegalStateException("too many console sessions");
        Session s = new Session(token(), who, token(), clock.instant().plus(ttl));
        sessions.put(s.id(), s);
        return s;
    }

    /** The live session for a cookie value, its expiry slid forward; empty if unknown or expired. */
    public Optional<Session> find(String id) {
        Session s = sessions.get(id);
        if (s == null) return Optional.empty();
        Instant now = clock.instant();
        if (!now.isBefore(s.expiresAt())) {
            sessions.remove(id, s);
            return Optional.empty();
        }
        Session slid = new Session(s.id(), s.who(), s.csrfToken(), now.plus(ttl));
        sessions.replace(id, s, slid);
        return Optional.of(slid);
    }

    public void remove(String id) {
        sessions.remove(id);
    }

    private String token() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void sweep() {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> !now.isBefore(s.expiresAt()));
    }
}
