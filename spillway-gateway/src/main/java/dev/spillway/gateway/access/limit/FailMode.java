package dev.spillway.gateway.access.limit;

/**
 * What a limit does while the shared store is unreachable (DESIGN 4.5): count in a local bucket of
 * {@code limit / replicas}, refuse the request, or let it through uncounted.
 */
public enum FailMode {
    LOCAL_FALLBACK, CLOSED, OPEN
}
