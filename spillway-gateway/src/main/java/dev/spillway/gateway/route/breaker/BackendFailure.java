package dev.spillway.gateway.route.breaker;

/**
 * What a circuit breaker records as a failure: a backend 5xx, a timeout or a transport error,
 * never a 4xx about the client's own request. Carries no stack trace; immutable.
 */
public final class BackendFailure extends RuntimeException {
    public BackendFailure(String reason) {
        super(reason, null, false, false);
    }
}
