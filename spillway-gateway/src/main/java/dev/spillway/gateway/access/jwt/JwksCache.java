package dev.spillway.gateway.access.jwt;

import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public keys of one issuer, fetched asynchronously, re-read in the background once stale,
 * and re-read on an unknown {@code kid} at most once per {@code unknownKidInterval} so a flood of
 * made-up key ids cannot turn the gateway into a JWKS hammer. At most one fetch is in flight.
 * Thread-safe; lives as long as its verifier.
 */
final class JwksCache {
    private static final Logger LOG = LoggerFactory.getLogger(JwksCache.class);

    private final URI uri;
    private final JwksFetcher fetcher;
    private final Clock clock;
    private final Duration maxAge;
    private final Duration unknownKidInterval;
    private volatile JWKSet keys = new JWKSet();
    private volatile Instant fetchedAt = Instant.MIN;
    private Instant lastAttempt = Instant.MIN;
    private CompletableFuture<JWKSet> inFlight;

    JwksCache(URI uri, JwksFetcher fetcher, Clock clock, Duration maxAge, Duration unknownKidInterval) {
        this.uri = uri;
        this.fetcher = fetcher;
        this.clock = clock;
        this.maxAge = maxAge;
        this.unknownKidInterval = unknownKidInterval;
    }

    /** The keys to verify with now; the first call waits for the first fetch. */
    CompletionStage<JWKSet> current() {
        if (fetchedAt.equals(Instant.MIN)) return refresh(false);
        if (clock.instant().isAfter(fetchedAt.plus(maxAge))) refresh(false);
        return CompletableFuture.completedFuture(keys);
    }

    /** A re-read because a token named a key we do not have; rate-limited. */
    CompletionStage<JWKSet> refreshForUnknownKid() {
        return refresh(true);
    }

    private synchronized CompletionStage<JWKSet> refresh(boolean rateLimited) {
        if (inFlight != null) return inFlight;
        Instant now = clock.instant();
        if (rateLimited && now.isBefore(lastAttempt.plus(unknownKidInterval))) {
            return CompletableFuture.completedFuture(keys);
        }
        lastAttempt = now;
        CompletableFuture<JWKSet> fetch = fetcher.fetch(uri).thenApply(JwksCache::parsePublic).toCompletableFuture();
        CompletableFuture<JWKSet> result = fetch.handle(this::done);
        if (!result.isDone()) inFlight = result;
        return result;
    }

    private synchronized JWKSet done(JWKSet set, Throwable error) {
        inFlight = null;
        if (error != null) {
            LOG.warn("could not read JWKS {}: {}", uri, String.valueOf(error));
            return keys;
        }
        keys = set;
        fetchedAt = clock.instant();
        return set;
    }

    private static JWKSet parsePublic(String body) {
        try {
            return JWKSet.parse(body).toPublicJWKSet();
        } catch (ParseException e) {
            throw new IllegalStateException("not a JWKS document: " + e.getMessage());
        }
    }
}
