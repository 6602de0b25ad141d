package dev.spillway.gateway.route.pool;

import dev.spillway.gateway.config.DeploymentConfig.Selection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The backends one deployment alias (or one app's dedicated pool) may use, in tiers: by priority
 * (PTU first), and within a priority the gateway's own region before the others. {@link #pick}
 * takes the first tier with a usable backend and chooses within it by the selection mode.
 *
 * <p>Implementation notes: a backend is usable when it was not tried yet by this request, is not
 * cooling, its breaker admits calls, it is healthy, the request fits its remembered quota and it is
 * not on trial with a request in flight (BackendState#trialBusy). When none is, the pick relaxes
 * in steps: first ignoring the quota estimate and the trial (the backend is the authority), then ignoring health (panic routing: better to try an ejected backend than to fail),
 * and only then reports the earliest cooldown end. Smooth weighted round robin (nginx's algorithm)
 * keeps one current weight per member in an atomic array; concurrent picks may interleave, which
 * perturbs the order slightly but conserves the weights' sum, so shares stay exact over time.
 * Thread-safe; one per pool for the gateway's life.
 */
public final class Pool {
    private final String name;
    private final Selection selection;
    private final BackendState[] members;
    private final int[] weights;
    private final int[][] tiers;
    private final AtomicLongArray current;
    private final AtomicLong turn = new AtomicLong();
    private final AtomicLong interactiveWaiting = new AtomicLong();

    /** {@code priorities[i]} and {@code weights[i]} belong to {@code members.get(i)}. */
    public Pool(String name, Selection selection, List<BackendState> members, int[] priorities, int[] weights,
                String gatewayRegion) {
        this.name = name;
        this.selection = selection;
        this.members = members.toArray(BackendState[]::new);
        this.weights = weights.clone();
        this.current = new AtomicLongArray(this.members.length);
        this.tiers = tiers(this.members, priorities, gatewayRegion);
    }

    private static int[][] tiers(BackendState[] members, int[] priorities, String region) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < members.length; i++) order.add(i);
        Comparator<Integer> byTier = Comparator.comparingLong(i -> tierKey(members[i], priorities[i], region));
        order.sort(byTier);
        List<int[]> tiers = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= order.size(); i++) {
            if (i == order.size() || byTier.compare(order.get(i), order.get(start)) != 0) {
                tiers.add(order.subList(start, i).stream().mapToInt(Integer::intValue).toArray());
                start = i;
            }
        }
        return tiers.toArray(int[][]::new);
    }

    private static long tierKey(BackendState b, int priority, String region) {
        boolean local = region.isEmpty() || b.config().region().isEmpty() || region.equals(b.config().region());
        return priority * 2L + (local ? 0 : 1);
    }

    public String name() { return name; }

    /** Whether at least one member is healthy, not drained, with its breaker admitting calls. */
    public boolean anyHealthy() {
        for (BackendState b : members) if (!b.drained() && b.healthy() && b.breakerClosed()) return true;
        return false;
    }

    /**
     * Whether the first tier (provisioned capacity) could take more work now: one of its backends
     * is healthy, not cooling, admitted by its breaker and under {@code loadLimit} (0 to 1) by its
     * latest utilization or remaining-quota reading, and no interactive request of this pool is
     * waiting for a cooldown to end.
     */
    public boolean firstTierHasRoom(long now, double loadLimit) {
        if (interactiveWaiting.get() > 0) return false;
        for (int i : tiers[0]) {
            BackendState b = members[i];
            if (!b.drained() && b.healthy() && !b.cooling(now) && b.breakerAdmits(now) && b.load(now) < loadLimit) return true;
        }
        return false;
    }

    /** The highest load (0 to 1) among the first tier's backends by their latest readings; 0 before any. */
    public double firstTierLoad(long now) {
        double max = 0;
        for (int i : tiers[0]) max = Math.max(max, members[i].load(now));
        return max;
    }

    /** An interactive request of this pool starts ({@code +1}) or stops ({@code -1}) waiting for a cooldown. */
    public void interactiveWaiting(int delta) {
        interactiveWaiting.addAndGet(delta);
    }

    /**
     * Chooses a backend for an attempt. {@code tried} has bit {@code i} set for members this
     * request must not use again; {@code tokens} is the request's estimate; {@code now} epoch ms.
     */
    public Pick pick(long tried, long tokens, long now) {
        return pick(tried, tokens, now, false);
    }

    /** As {@link #pick(long, long, long)}; {@code firstTierOnly} keeps the request on provisioned capacity. */
    public Pick pick(long tried, long tokens, long now, boolean firstTierOnly) {
        int allowed = firstTierOnly ? 1 : tiers.length;
        for (int strictness = 2; strictness >= 0; strictness--) {
            for (int t = 0; t < allowed; t++) {
                long usable = usable(tiers[t], tried, tokens, now, strictness);
                if (usable != 0) return choose(tiers[t], usable, now);
            }
        }
        return earliestCooldown(firstTierOnly ? tried | ~mask(tiers[0]) : tried, now);
    }

    private static long mask(int[] tier) {
        long m = 0;
        for (int i : tier) m |= 1L << i;
        return m;
    }

    private long usable(int[] tier, long tried, long tokens, long now, int strictness) {
        long mask = 0;
        for (int i : tier) {
            BackendState b = members[i];
            if ((tried & (1L << i)) != 0 || b.drained() || b.cooling(now) || !b.breakerAdmits(now)) continue;
            if (strictness >= 1 && !b.healthy()) continue;
            if (strictness >= 2 && (b.trialBusy() || !b.fits(tokens, now))) continue;
            mask |= 1L << i;
        }
        return mask;
    }

    private Pick earliestCooldown(long tried, long now) {
        long earliest = Long.MAX_VALUE;
        for (int i = 0; i < members.length; i++) {
            BackendState b = members[i];
            if ((tried & (1L << i)) == 0 && !b.drained() && b.breakerAdmits(now) && b.cooling(now)) {
                earliest = Math.min(earliest, b.coolingUntil());
            }
        }
        return earliest == Long.MAX_VALUE ? Pick.NONE : new Pick.Wait(earliest);
    }

    private Pick choose(int[] tier, long usable, long now) {
        int i = switch (selection) {
            case PRIORITY_WEIGHT -> smoothWeighted(tier, usable);
            case ROUND_ROBIN -> roundRobin(tier, usable);
            case LEAST_LATENCY -> least(tier, usable, true, now);
            case LEAST_UTILIZATION -> least(tier, usable, false, now);
        };
        return new Pick.Go(members[i], i);
    }

    private int smoothWeighted(int[] tier, long usable) {
        int best = -1;
        long bestWeight = Long.MIN_VALUE;
        long total = 0;
        for (int i : tier) {
            if ((usable & (1L << i)) == 0) continue;
            long w = current.addAndGet(i, weights[i]);
            total += weights[i];
            if (w > bestWeight) {
                bestWeight = w;
                best = i;
            }
        }
        current.addAndGet(best, -total);
        return best;
    }

    private int roundRobin(int[] tier, long usable) {
        int start = (int) Math.floorMod(turn.getAndIncrement(), (long) tier.length);
        for (int k = 0; k < tier.length; k++) {
            int i = tier[(start + k) % tier.length];
            if ((usable & (1L << i)) != 0) return i;
        }
        throw new IllegalStateException("no usable member in a tier with usable members");
    }

    /** The usable member with the lowest latency average or load; unmeasured members go first. */
    private int least(int[] tier, long usable, boolean latency, long now) {
        int best = -1;
        double bestScore = Double.MAX_VALUE;
        for (int i : tier) {
            if ((usable & (1L << i)) == 0) continue;
            double score = latency ? members[i].latencyMicros() : members[i].load(now) * 1e6 + members[i].inFlight();
            if (score < bestScore) {
                bestScore = score;
                best = i;
            }
        }
        return best;
    }
}
