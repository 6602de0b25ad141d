package dev.spillway.gateway.access.limit;

/**
 * The shared store cannot be reached and a limit that fails closed (a money budget, by default)
 * takes part in the admission, so the request is refused rather than admitted uncounted. No stack
 * trace: it is an expected outcome on the hot path.
 */
public final class QuotaStoreUnavailable extends RuntimeException {
    private final transient Limit limit;

    public QuotaStoreUnavailable(Limit limit) {
        super("the usage store is unreachable and the limit " + limit.counterName() + " fails closed", null, false, false);
        this.limit = limit;
    }

    public Limit limit() {
        return limit;
    }
}
