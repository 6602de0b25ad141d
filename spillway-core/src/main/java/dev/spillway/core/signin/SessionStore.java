package dev.spillway.core.signin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * Browser sessions, in memory, for the chat app and the gateway's consoles: a random 256-bit id
 * (the cookie value), its own CSRF token, a sliding idle expiry. A restart signs everyone out, and
 * each replica keeps its own. At most {@code maxSessions} live at once (expired ones are swept
 * first), so signing in in a loop cannot eat memory. Time and randomness are injected. Thread-safe;
 * one per server.
 *
 * @param <P> who signs in; its {@link Principal#sessionLabel()} is all a session's
 *     {@code toString} shows (never the id or the token)
 */
public final class SessionStore<P extends SessionStore.Principal> {
    /** Who a session belongs to, as logs may name it. */
    public interface Principal {
        String sessionLabel();
    }

    private final ConcurrentHashMap<String, Session<P>> sessions = new ConcurrentHashMap<>();
    private final Clock clock;
    private final RandomGenerator random;
    private final Duration ttl;
    private final int maxSessions;

    public SessionStore(Clock clock, RandomGenerator random, Duration ttl, int maxSessions) {
        this.clock = clock;
        this.random = random;
        this.ttl = ttl;
        this.maxSessions = maxSessions;
    }

    /** One signed-in browser: who, the token its changes must echo, when it lapses. Immutable. */
    public record Session<P extends Principal>(String id, P who, String csrfToken, Instant expiresAt) {
        @Override
        public String toString() {
            return "Session[" + who.sessionLabel() + "]";
        }
    }

    /** A fresh session (a new id on every sign-in, so a planted id is never promoted). */
    public Session<P> create(P who) {
        if (sessions.size() >= maxSessions) sweep();
        if (sessions.size() >= maxSessions) throw new IllegalStateException("too many sessions (" + maxSessions + ")");
        Session<P> s = new Session<>(randomToken(), who, randomToken(), clock.instant().plus(ttl));
        sessions.put(s.id(), s);
        return s;
    }

    /** The live session for a cookie value, its expiry slid forward; empty if unknown or expired. */
    public Optional<Session<P>> find(String id) {
        Session<P> s = sessions.get(id);
        if (s == null) return Optional.empty();
        Instant now = clock.instant();
        if (!now.isBefore(s.expiresAt())) {
            sessions.remove(id, s);
            return Optional.empty();
        }
        Session<P> slid = new Session<>(s.id(), s.who(), s.csrfToken(), now.plus(ttl));
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
