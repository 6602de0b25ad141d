package dev.spillway.gateway.access.jwt;

/**
 * A bearer token that must not be trusted, with a short reason safe to show the caller (never the
 * token). Expected on the hot path, so no stack trace.
 */
public final class JwtRejected extends RuntimeException {
    public JwtRejected(String reason) {
        super(reason, null, false, false);
    }
}
