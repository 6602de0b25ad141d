package dev.spillway.gateway.route.pool;

/** What a pool answers when asked for a backend: go to one, wait for a cooldown to end, or give up. */
public sealed interface Pick {
    /** Send the attempt to {@code backend}, member {@code index} of the pool. */
    record Go(BackendState backend, int index) implements Pick {
    }

    /** Every usable backend is cooling; the earliest is ready at {@code untilMillis} (epoch ms). */
    record Wait(long untilMillis) implements Pick {
    }

    /** No backend is left to try: all were tried, are ejected, or their breakers are open. */
    record None() implements Pick {
    }

    Pick NONE = new None();
}
