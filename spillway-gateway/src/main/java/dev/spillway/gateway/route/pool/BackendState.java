package dev.spillway.gateway.route.pool;

import dev.spillway.gateway.config.BackendConfig;
import dev.spillway.gateway.config.RoutingConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What Spillway currently believes about one backend: its last quota headers (debited locally by
 * each request sent since), PTU utilization, cooldown after a 429, health from probes and passive
 * signals, its circuit breaker, retry budget and time-to-first-byte average. One per backend for
 * the life of the gateway, shared by every pool and event loop.
 *
 * <p>Implementation notes: every field is an atomic or a volatile written as a whole; no locks.
 * Times are epoch milliseconds from the injected clock. {@link #UNKNOWN} marks a quota never seen.
 * Cooldowns only ever extend (a shorter second Retry-After does not cut a longer first one short).
 * What this replica learns first-hand (a 429, a reading, a breaker opening) also goes to its
 * {@link Listener}; what other replicas learned comes in through the {@code ...Elsewhere} methods
 * and {@link #coolUntil}, which never tell the listener, so nothing is published twice.
 */
public final class BackendState {
    public static final long UNKNOWN = Long.MIN_VALUE;

    private final BackendConfig config;
    private final CircuitBreaker breaker;
    private final RetryBudget retryBudget;
    private final RoutingConfig.Spillover spillover;
    private final AtomicLong coolingUntil = new AtomicLong();
    private final AtomicLong remainingTokens = new AtomicLong(UNKNOWN);
    private final AtomicLong remainingRequests = new AtomicLong(UNKNOWN);
    private volatile long limitTokens = UNKNOWN;
    private volatile long quotaSeenAt;
    private volatile double utilization = -1;
    private volatile long utilizationSeenAt;
    private final AtomicLong latencyMicros = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    /** The other replicas' requests in flight to this backend, as they last published them, and when. */
    private volatile long inFlightElsewhere;
    private volatile long inFlightElsewhereAt;
    /** Whether an answer or a reading (here or shared) came yet: until then one request at a time (a slow start). */
    private volatile boolean answeredOnce;
    /** Learned utilization percent one request adds (moving average); -1 until measured. */
    private volatile double perRequest = -1;
    /** A request sent with nothing else in flight, fleet-wide: when, and the utilization it met; 0 when none. */
    private volatile long loneSentAt;
    private volatile double loneBase;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicInteger failuresInARow = new AtomicInteger();
    private final AtomicInteger probeSuccessesInARow = new AtomicInteger();
    private final AtomicInteger trialLeft = new AtomicInteger();
    private volatile boolean healthy = true;
    private volatile boolean drained;
    private final long openForMillis;
    private volatile long breakerOpenedAt;
    private volatile Listener listener = Listener.NONE;
    /** Set while a breaker opening learned from another replica is applied, so it is not published back. */
    private static final ThreadLocal<Boolean> APPLYING = ThreadLocal.withInitial(() -> false);

    /**
     * Hears what this replica learns first-hand about the backend, to pass it on to the other
     * replicas (route.share). Called on the thread that learned it; must not block.
     */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        default void cooled(BackendState backend, long until, long now) {
        }

        default void quotaRead(BackendState backend, long tokensLeft, long requestsLeft, long tokenLimit,
                double utilization, long now) {
        }

        default void breakerOpened(BackendState backend, long now) {
        }

        /** This replica's requests in flight to a backend that has given a PTU utilization reading changed. */
        default void inFlightChanged(BackendState backend, long inFlight) {
        }

        /** The trial begun by {@link #startTrial} passed: the backend answered that many in a row. */
        default void trialPassed(BackendState backend) {
        }
    }

    /** {@code breaker} runs on the same clock as the {@code now} values passed to this state. */
    public BackendState(BackendConfig config, CircuitBreaker breaker, RoutingConfig routing, java.time.Clock clock) {
        this.config = config;
        this.breaker = breaker;
        this.retryBudget = new RetryBudget(routing.retryBudget());
        this.spillover = routing.spillover();
        this.openForMillis = routing.breaker().openFor().toMillis();
        breaker.getEventPublisher().onStateTransition(e -> {
            if (e.getStateTransition().getToState() != CircuitBreaker.State.OPEN || APPLYING.get()) return;
            breakerOpenedAt = clock.millis();
            listener.breakerOpened(this, breakerOpenedAt);
        });
    }

    /** Who hears what this replica learns first-hand; {@link Listener#NONE} until set. */
    public void listener(Listener value) { listener = value; }

    public BackendConfig config() { return config; }
    public String name() { return config.name(); }
    public CircuitBreaker breaker() { return breaker; }
    public RetryBudget retryBudget() { return retryBudget; }
    public boolean healthy() { return healthy; }
    public long coolingUntil() { return coolingUntil.get(); }
    public long inFlight() { return inFlight.get(); }
    /** Moving average of the time until the backend's answer began, in microseconds; 0 before any. */
    public long latencyMicros() { return latencyMicros.get(); }

    public boolean cooling(long now) { return coolingUntil.get() > now; }

    /** Whether an operator took the backend out of rotation (the console's drain): no new requests, in flight finish. */
    public boolean drained() { return drained; }

    public void drained(boolean value) { drained = value; }

    /** Whether the breaker is closed or half-open, so calls go through. */
    public boolean breakerClosed() {
        CircuitBreaker.State s = breaker.getState();
        return s != CircuitBreaker.State.OPEN && s != CircuitBreaker.State.FORCED_OPEN;
    }

    /**
     * Whether a call may be tried: the breaker is closed or half-open, or it is open but its
     * {@code open-for} has passed. Resilience4j moves to half-open only when asked for a permit,
     * so the pick must let one call reach {@code CircuitBreakerPolicy} to ask.
     */
    public boolean breakerAdmits(long now) {
        CircuitBreaker.State s = breaker.getState();
        if (s == CircuitBreaker.State.OPEN) return now > breakerOpenedAt + openForMillis;
        return s != CircuitBreaker.State.FORCED_OPEN;
    }

    /**
     * Whether the last observations say a request of {@code tokens} will be admitted. Stale
     * observations ({@code observation-ttl}) and unknown quotas say yes: the backend decides.
     */
    public boolean fits(long tokens, long now) {
        if (!spillover.proactive()) return true;
        long ttl = spillover.observationTtl().toMillis();
        if (now - quotaSeenAt < ttl) {
            long requests = remainingRequests.get();
            if (requests != UNKNOWN && requests < 1) return false;
            long left = remainingTokens.get();
            if (left != UNKNOWN && left < tokens) return false;
        }
        return ptuFits(now);
    }

    /**
     * PTU: skip while the utilization, drained since it was read at {@code ptu-drain-per-second}
     * (Azure's bucket holds one minute of capacity, so 100% drains in 60 s), is at the limit. After
     * a reading at the limit, only one request at a time goes until a fresh reading, so the moment
     * the drain makes room is not met by a burst of 429s.
     */
    private boolean ptuFits(long now) {
        if (utilization < 0) return answeredOnce || inFlight.get() == 0;
        double limit = spillover.utilizationLimit();
        double drained = utilizationNow(now);
        if (drained >= limit) return false;
        long fleet = fleetInFlight(now);
        return (utilization < limit && drained + fleet * Math.max(0, perRequest) < limit) || fleet == 0;
    }

    /** The last utilization reading, drained since it was read. */
    private double utilizationNow(long now) {
        return utilization - (now - utilizationSeenAt) / 1000.0 * spillover.ptuDrainPerSecond();
    }

    /**
     * Requests in flight to this backend from the whole fleet: this replica's, plus the others' as
     * they last published them (route.share) if that was within {@link #ELSEWHERE_TTL_MS}.
     */
    public long fleetInFlight(long now) {
        long elsewhere = now - inFlightElsewhereAt < ELSEWHERE_TTL_MS ? inFlightElsewhere : 0;
        return inFlight.get() + elsewhere;
    }

    /** A published count older than this is not trusted (its replica may have died mid-request). */
    public static final long ELSEWHERE_TTL_MS = 2_000;

    /** The other replicas' requests in flight to this backend, summed, as heard at {@code now}. */
    public void inFlightElsewhere(long count, long now) {
        inFlightElsewhere = count;
        inFlightElsewhereAt = now;
    }

    /** How full the backend looks, 0 to 1 (or above): PTU utilization, else the share of its TPM used. */
    public double load(long now) {
        long ttl = spillover.observationTtl().toMillis();
        if (utilization >= 0 && now - utilizationSeenAt < ttl) return utilization / 100.0;
        long left = remainingTokens.get();
        long limit = limitTokens;
        if (limit > 0 && left != UNKNOWN && now - quotaSeenAt < ttl) return 1.0 - (double) Math.max(0, left) / limit;
        return 0;
    }

    /** A request of {@code tokens} is being sent: debit the remembered quota until the next headers. */
    public void dispatched(long tokens, long now) {
        if (fleetInFlight(now) == 0 && (utilization >= 0 || !answeredOnce)) {
            loneBase = utilization < 0 ? 0 : Math.max(0, utilizationNow(now));
            loneSentAt = now;
        }
        long n = inFlight.incrementAndGet();
        if (utilization >= 0) listener.inFlightChanged(this, n);
        sent.incrementAndGet();
        retryBudget.recordRequest(now);
        debit(remainingTokens, tokens);
        debit(remainingRequests, 1);
    }

    private static void debit(AtomicLong quota, long amount) {
        long v;
        do {
            v = quota.get();
            if (v == UNKNOWN) return;
        } while (!quota.compareAndSet(v, v - amount));
    }

    /** The attempt has an answer (or failed); {@code latencyMicros} is the time until it began. */
    public void answered(long latency) {
        answeredOnce = true;
        long n = inFlight.decrementAndGet();
        if (utilization >= 0) listener.inFlightChanged(this, n);
        if (latency <= 0) return;
        long old;
        long next;
        do {
            old = latencyMicros.get();
            next = old == 0 ? latency : old + (latency - old) / 5; // EWMA, alpha = 0.2
        } while (!latencyMicros.compareAndSet(old, next));
    }

    /** Records quota headers ({@code -1} where absent) seen at {@code now}. */
    public void observeQuota(long tokensLeft, long requestsLeft, long tokenLimit, double utilizationPercent, long now) {
        if (tokensLeft < 0 && requestsLeft < 0 && utilizationPercent < 0) return;
        if (utilizationPercent >= 0) learnPerRequest(utilizationPercent);
        applyQuota(tokensLeft, requestsLeft, tokenLimit, utilizationPercent, now);
        listener.quotaRead(this, tokensLeft, requestsLeft, tokenLimit, utilizationPercent, now);
    }

    /**
     * The first reading after a request that went alone (nothing else in flight fleet-wide) says
     * what one request adds: the reading is taken when the PTU admits the request, so the rise over
     * the utilization it met is its own. Averaged (1/4 weight to the newest) over such requests.
     */
    private void learnPerRequest(double reading) {
        if (loneSentAt == 0) return;
        loneSentAt = 0;
        double sample = reading - loneBase;
        if (sample <= 0) return;
        double p = perRequest;
        perRequest = p < 0 ? sample : p + (sample - p) / 4;
    }

    /** The utilization percent one request adds, as learned; -1 before the first measurement. */
    public double perRequest() { return perRequest; }

    /**
     * A quota reading another replica took at {@code at}: applied where it is newer than what this
     * replica knows, ignored where it is older.
     */
    public void quotaReadElsewhere(long tokensLeft, long requestsLeft, long tokenLimit, double utilizationPercent,
            long at) {
        applyQuota(at > quotaSeenAt ? tokensLeft : -1, at > quotaSeenAt ? requestsLeft : -1, tokenLimit,
                at > utilizationSeenAt ? utilizationPercent : -1, at);
    }

    private void applyQuota(long tokensLeft, long requestsLeft, long tokenLimit, double utilizationPercent, long now) {
        answeredOnce = true;
        if (tokensLeft >= 0 || requestsLeft >= 0) {
            remainingTokens.set(tokensLeft >= 0 ? tokensLeft : UNKNOWN);
            remainingRequests.set(requestsLeft >= 0 ? requestsLeft : UNKNOWN);
            if (tokenLimit > 0) limitTokens = tokenLimit;
            quotaSeenAt = now;
        }
        if (utilizationPercent >= 0) {
            utilization = utilizationPercent;
            utilizationSeenAt = now;
        }
    }

    /** Cools the backend until {@code until} (epoch ms), or longer if it already was. */
    public void coolUntil(long until) {
        coolingUntil.accumulateAndGet(until, Math::max);
    }

    /** The backend answered 429 at {@code now}: cool it until {@code until} and count the throttle. */
    public void throttled(long until, long now) {
        throttled.incrementAndGet();
        coolUntil(until);
        listener.cooled(this, until, now);
    }

    /**
     * Another replica saw the breaker open at {@code at}: open it here too, unless it is open
     * already or has opened since. Not published back.
     */
    public void breakerOpenedElsewhere(long at) {
        if (at <= breakerOpenedAt || !breakerClosed()) return;
        APPLYING.set(true);
        try {
            breaker.transitionToOpenState();
            breakerOpenedAt = at;
        } finally {
            APPLYING.set(false);
        }
    }

    /**
     * Takes over what {@code previous} (the same backend under the config before a reload) had
     * learned: cooldown, health, the last quota and utilization readings, latency, the drain flag,
     * a trial after a cooldown, the attempt and throttle counts and an open breaker (still open
     * until its {@code open-for} from when it opened). Attempts in flight keep counting on {@code previous}. Not published.
     */
    public void inherit(BackendState previous) {
        coolingUntil.set(previous.coolingUntil.get());
        remainingTokens.set(previous.remainingTokens.get());
        remainingRequests.set(previous.remainingRequests.get());
        limitTokens = previous.limitTokens;
        quotaSeenAt = previous.quotaSeenAt;
        utilization = previous.utilization;
        utilizationSeenAt = previous.utilizationSeenAt;
        latencyMicros.set(previous.latencyMicros.get());
        sent.set(previous.sent.get());
        throttled.set(previous.throttled.get());
        failuresInARow.set(previous.failuresInARow.get());
        probeSuccessesInARow.set(previous.probeSuccessesInARow.get());
        trialLeft.set(previous.trialLeft.get());
        healthy = previous.healthy;
        drained = previous.drained;
        answeredOnce = previous.answeredOnce;
        perRequest = previous.perRequest;
        if (!previous.breakerClosed()) breakerOpenedElsewhere(previous.breakerOpenedAt);
    }

    /** Attempts sent to this backend since start. */
    public long sent() { return sent.get(); }

    /** 429 answers received from this backend since start. */
    public long throttledCount() { return throttled.get(); }

    /** A real request failed at the transport or with a 5xx: a passive health signal. */
    public void failed() {
        probeSuccessesInARow.set(0);
        if (failuresInARow.incrementAndGet() >= config.probe().unhealthyAfter()) healthy = false;
    }

    /** A real request succeeded: proof the backend works, so it counts as healthy at once. */
    public void succeeded() {
        failuresInARow.set(0);
        healthy = true;
        if (trialLeft.getAndUpdate(v -> Math.max(0, v - 1)) == 1) listener.trialPassed(this);
    }

    /**
     * Puts the backend on trial after a first-hand 429 (route.share does, in a fleet that shares):
     * once its cooldown ends, one request at a time goes until {@code successes} answers in a row
     * pass (a 429 starts the trial again); {@link #trialBusy} tells the pick. Then the listener hears
     * {@link Listener#trialPassed}.
     */
    public void startTrial(int successes) { trialLeft.set(successes); }

    /** Whether the backend is on trial with a request in flight, so another one should go elsewhere. */
    public boolean trialBusy() { return trialLeft.get() > 0 && inFlight.get() > 0; }

    /**
     * Ends a hold: the cooldown that is exactly {@code hold} (nothing extended it since) ends at
     * {@code end} instead. A cooldown extended by a later 429 stays.
     */
    public void releaseHold(long hold, long end) { coolingUntil.compareAndSet(hold, end); }

    /** A background probe's result; {@code healthy-after} successes in a row bring a backend back. */
    public void probed(boolean ok) {
        if (!ok) {
            failed();
            return;
        }
        failuresInARow.set(0);
        if (!healthy && probeSuccessesInARow.incrementAndGet() >= config.probe().healthyAfter()) {
            probeSuccessesInARow.set(0);
            healthy = true;
        }
    }

    public long remainingTokens() { return remainingTokens.get(); }
    public long remainingRequests() { return remainingRequests.get(); }
    public double utilization() { return utilization; }
}
