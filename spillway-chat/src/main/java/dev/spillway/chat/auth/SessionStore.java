package dev.spillway.chat.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * Signed-in sessions, in memory: random 256-bit ids (the cookie value), each with its user, its own
 * CSRF token and a sliding expiry. A restart signs everyone out, which is acceptable for a chat UI.
 * Time and randomness are injected. Thread-safe; one per server.
 */
public final class SessionStore {
    /** Bounds memory if someone signs in in a loop; expired sessions are swept first. */
    private static final int MAX_SESSIONS = 100_000;

    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;
    private final RandomGenerator random;
    private final Duration ttl;

    public SessionStore(Clock clock, RandomGenerator random, Duration ttl) {
        this.clock = clock;
        this.random = random;
        this.ttl = ttl;
    }

    /** One signed-in browser: who, the token its POSTs must echo, and when it lapses. Immutable. */
    public record Session(String id, ChatUser user, String csrfToken, Instant expiresAt) {
        @Override
        public String toString() {
            return "Session[" + user.id() + "]";
        }
    }

    /** Starts a fresh session (a new id on every sign-in, so a planted id is never promoted). */
    public Session create(ChatUser user) {
        if (sessions.size() >= MAX_SESSIONS) sweep();
        if (sessions.size() >= MAX_SESSIONS) throw new IllegalStateException("too many sessions");
        Session s = new Session(randomToken(), user, randomToken(), clock.instant().plus(ttl));
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
        Session slid = new Session(s.id(), s.user(), s.csrfToken(), now.plus(ttl));
        sessions.replace(id, s, slid);
        return Optional.of(slid);
    }

    public void remove(String id) {
        sessions.remove(id);
    }

    public Duration ttl() {
        return ttl;
    }

    /** A URL-safe random 256-bit token. */
    public String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void sweep() {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> !now.isBefore(s.expiresAt()));
    }
}
