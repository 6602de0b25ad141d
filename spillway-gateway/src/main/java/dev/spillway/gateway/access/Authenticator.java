package dev.spillway.gateway.access;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.access.jwt.JwtPrincipal;
import dev.spillway.gateway.access.jwt.JwtRejected;
import dev.spillway.gateway.access.jwt.JwtVerifier;
import dev.spillway.gateway.access.keys.ApiKeySecrets;
import dev.spillway.gateway.access.keys.AppKey;
import dev.spillway.gateway.access.keys.KeyLimits;
import dev.spillway.gateway.access.keys.KeyResolver;
import dev.spillway.gateway.config.StaticKey;
import dev.spillway.gateway.pipeline.Caller;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Establishes the caller from the request headers alone ({@code api-key} or {@code Authorization:
 * Bearer}), so it runs before a byte of the body is read: a caller without a valid credential
 * costs a header parse, never a buffered body. A static key from config is compared in constant
 * time; an {@code sk-spw-} key is looked up by hash in the key store; anything else is verified as a
 * JWT. Unknown, revoked and expired keys get the same 401. The caller header
 * ({@code caller-objectid}) is removed from every request and set only for JWT callers, so a
 * client cannot forge it. Shared; thread-safe.
 */
public final class Authenticator {
    private final List<StaticKey> staticKeys;
    /** Per static key, the caller made for the value it last matched (a file or vault secret may rotate). */
    private final AtomicReferenceArray<StaticCaller> staticCallers;
    private final KeyResolver keys;
    private final Optional<JwtVerifier> jwt;
    private final String callerHeader;

    public Authenticator(List<StaticKey> staticKeys, KeyResolver keys, Optional<JwtVerifier> jwt,
            String callerHeader) {
        this.staticKeys = List.copyOf(staticKeys);
        this.staticCallers = new AtomicReferenceArray<>(this.staticKeys.size());
        this.keys = keys;
        this.jwt = jwt;
        this.callerHeader = callerHeader;
    }

    /** The caller these headers prove, or a failed future with a 401; may set the caller header. */
    public Future<Caller> authenticate(MultiMap headers) {
        headers.remove(callerHeader);
        Optional<String> credential = credential(headers);
        if (credential.isEmpty()) {
            return Future.failedFuture(new SpillwayException.Unauthenticated("Missing credential: send your "
                    + "Spillway key in the 'api-key' header or as 'Authorization: Bearer <key>'."));
        }
        String presented = credential.get();
        int fixed = staticKey(presented);
        if (fixed >= 0) return Future.succeededFuture(staticCaller(fixed, presented));
        if (presented.startsWith(ApiKeySecrets.PREFIX)) {
            return Async.onContext(keys.resolve(presented)).map(k -> k.map(Authenticator::fromKey)
                    .orElseThrow(Authenticator::invalid));
        }
        if (jwt.isPresent() && presented.indexOf('.') > 0) {
            return Async.onContext(jwt.get().verify(presented)).map(p -> fromJwt(headers, p))
                    .recover(e -> Future.failedFuture(e instanceof JwtRejected r
                            ? new SpillwayException.Unauthenticated("Invalid bearer token: " + r.getMessage() + ".")
                            : e));
        }
        return Future.failedFuture(invalid());
    }

    private static SpillwayException invalid() {
        return new SpillwayException.Unauthenticated(SpillwayException.Unauthenticated.AZURE_MESSAGE);
    }

    static Caller fromKey(AppKey k) {
        Grants grants = new Grants(Optional.of(k.id()), k.limits(), k.deployments(), Set.of(), false);
        return new Caller(k.name(), k.app(), k.team().orElse(""), k.owner().orElse(""), k.displayPrefix(), grants);
    }

    private Caller fromJwt(MultiMap headers, JwtPrincipal p) {
        headers.set(callerHeader, p.user());
        Grants grants = new Grants(Optional.empty(), KeyLimits.NONE, Set.of(), p.roles(), true);
        return new Caller("jwt:" + p.issuer(), p.app(), p.team().orElse(""), p.user(), "", grants);
    }

    static Optional<String> credential(MultiMap headers) {
        String apiKey = headers.get("api-key");
        if (apiKey != null && !apiKey.isBlank()) return Optional.of(apiKey.trim());
        String auth = headers.get("authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) return Optional.of(auth.substring(7).trim());
        return Optional.empty();
    }

    /** The index of the static key {@code presented} is, or -1. */
    private int staticKey(String presented) {
        byte[] given = presented.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < staticKeys.size(); i++) {
            if (MessageDigest.isEqual(given, staticKeys.get(i).key().value().getBytes(StandardCharsets.UTF_8))) return i;
        }
        return -1;
    }

    private record StaticCaller(String value, Caller caller) {
    }

    /** The caller of static key {@code i}: its id is hashed once per value, not once per request. */
    private Caller staticCaller(int i, String presented) {
        StaticCaller known = staticCallers.get(i);
        if (known != null && known.value().equals(presented)) return known.caller();
        StaticKey k = staticKeys.get(i);
        Caller caller = new Caller(k.name(), k.app(), k.team(), "", staticKeyId(presented));
        staticCallers.set(i, new StaticCaller(presented, caller));
        return caller;
    }

    /**
     * What ledger and audit record for a static key: {@code static:} and the first 8 hex digits
     * of its SHA-256, enough to tell keys apart and not reversible (no character of the key is
     * stored, unlike a prefix).
     */
    static String staticKeyId(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "static:" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
