package dev.spillway.gateway.batch;

/** Where one batch line is: waiting, in flight under a lease, or ended one of four ways. */
public enum LineState {
    QUEUED, LEASED, SUCCEEDED, FAILED, CANCELLED, EXPIRED;

    public boolean ended() {
        return this != QUEUED && this != LEASED;
    }
}
