package dev.spillway.gateway.access.limit;

import java.util.Objects;

/**
 * What one admission asks of one limit: {@code amount} units, either held until settled (tokens,
 * money: the real usage is known only after the response) or consumed at once (requests).
 * Immutable.
 */
public record Charge(Limit limit, long amount, boolean hold) {
    public Charge {
        Objects.requireNonNull(limit, "limit");
        if (amount < 0) throw new IllegalArgumentException("amount: must be >= 0, was " + amount);
    }

    public static Charge hold(Limit limit, long amount) {
        return new Charge(limit, amount, true);
    }

    public static Charge consume(Limit limit, long amount) {
        return new Charge(limit, amount, false);
    }
}
