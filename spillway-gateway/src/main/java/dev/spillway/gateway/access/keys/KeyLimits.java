package dev.spillway.gateway.access.keys;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The limits written on one app key; an empty value means "no limit of this kind on the key"
 * (limits of its app, team or user may still apply). Immutable.
 */
public record KeyLimits(OptionalLong requestsPerMinute, OptionalLong tokensPerMinute, OptionalLong tokensPerDay,
        OptionalLong tokensPerMonth, Optional<BigDecimal> budgetPerMonthUsd) {
    public static final KeyLimits NONE = new KeyLimits(OptionalLong.empty(), OptionalLong.empty(),
            OptionalLong.empty(), OptionalLong.empty(), Optional.empty());

    public KeyLimits {
        positive("requests-per-minute", requestsPerMinute);
        positive("tokens-per-minute", tokensPerMinute);
        positive("tokens-per-day", tokensPerDay);
        positive("tokens-per-month", tokensPerMonth);
        if (budgetPerMonthUsd.isPresent() && budgetPerMonthUsd.get().signum() < 0) {
            throw new IllegalArgumentException("budget-per-month-usd: must be >= 0, was " + budgetPerMonthUsd.get());
        }
        budgetPerMonthUsd = budgetPerMonthUsd.map(KeyLimits::normalized);
    }

    /** 12.50 and 12.5 are the same budget: one scale, so stored and parsed values compare equal. */
    private static BigDecimal normalized(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    private static void positive(String name, OptionalLong v) {
        if (v.isPresent() && v.getAsLong() <= 0) {
            throw new IllegalArgumentException(name + ": must be > 0, was " + v.getAsLong());
        }
    }
}
