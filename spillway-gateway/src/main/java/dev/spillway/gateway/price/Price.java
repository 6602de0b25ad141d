package dev.spillway.gateway.price;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.Optional;

/**
 * What one backend costs, the one price both chargeback and money budgets use. Pay-as-you-go:
 * USD per 1M tokens (input, cached input, output), less {@code discount-percent} (global or
 * negotiated discounts), and for batch lines also less {@code batch-discount-percent} (OpenAI and
 * Azure price batch at 50 % of the list price). Provisioned (PTU): a flat {@code ptu-monthly-usd}, which the
 * chargeback report shares across the month's tokens, and which budgets charge per token as
 * {@code ptu-monthly-usd / ptu-monthly-tokens} (the volume the capacity is expected to serve).
 * Immutable.
 */
public record Price(String backend, BigDecimal inputPer1M, BigDecimal cachedInputPer1M, BigDecimal outputPer1M,
        Optional<BigDecimal> ptuMonthlyUsd, long ptuMonthlyTokens, BigDecimal discountPercent,
        BigDecimal batchDiscountPercent) {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final BigDecimal NANOS_PER_USD = BigDecimal.valueOf(1_000_000_000L);

    public Price {
        Objects.requireNonNull(backend, "backend: is required");
        if (backend.isBlank()) throw new IllegalArgumentException("backend: is required");
        for (BigDecimal p : new BigDecimal[] {inputPer1M, cachedInputPer1M, outputPer1M, ptuMonthlyUsd.orElse(BigDecimal.ZERO)}) {
            if (p.signum() < 0) throw new IllegalArgumentException("price: must be >= 0, was " + p);
        }
        if (discountPercent.signum() < 0 || discountPercent.compareTo(HUNDRED) > 0) {
            throw new IllegalArgumentException("discount-percent: must be between 0 and 100, was " + discountPercent);
        }
        if (batchDiscountPercent.signum() < 0 || batchDiscountPercent.compareTo(HUNDRED) > 0) {
            throw new IllegalArgumentException("batch-discount-percent: must be between 0 and 100, was "
                    + batchDiscountPercent);
        }
        if (ptuMonthlyUsd.isPresent() && batchDiscountPercent.signum() != 0) {
            throw new IllegalArgumentException("batch-discount-percent: a PTU backend is priced flat; it has no batch price");
        }
        if (ptuMonthlyUsd.isPresent() && (inputPer1M.signum() != 0 || outputPer1M.signum() != 0)) {
            throw new IllegalArgumentException(
                    "ptu-monthly-usd: a PTU backend is priced flat; remove input-per-1m/output-per-1m");
        }
        if (ptuMonthlyUsd.isPresent() && ptuMonthlyTokens <= 0) {
            throw new IllegalArgumentException("ptu-monthly-tokens: must be > 0 when ptu-monthly-usd is set, was "
                    + ptuMonthlyTokens);
        }
    }

    /** Pay-as-you-go per-token prices (USD per 1M tokens), no discount. */
    public static Price payAsYouGo(String backend, String input, String cachedInput, String output) {
        return new Price(backend, new BigDecimal(input), new BigDecimal(cachedInput), new BigDecimal(output),
                Optional.empty(), 0, BigDecimal.ZERO, BigDecimal.ZERO);
    }

    /** A flat monthly cost expected to serve {@code monthlyTokens}. */
    public static Price ptu(String backend, String monthlyUsd, long monthlyTokens) {
        return new Price(backend, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
                Optional.of(new BigDecimal(monthlyUsd)), monthlyTokens, BigDecimal.ZERO, BigDecimal.ZERO);
    }

    public boolean isPtu() {
        return ptuMonthlyUsd.isPresent();
    }

    /**
     * The metered cost of one request in nano-USD, as the ledger records it (0 for PTU: its cost
     * is flat and attributed in the report). Rounded half-even to the nano-dollar.
     */
    public long costNanos(long promptTokens, long completionTokens, long cachedTokens) {
        if (isPtu()) return 0;
        return nanos(usdPerMillion(promptTokens, completionTokens, cachedTokens));
    }

    /** The metered cost of one batch line in nano-USD: {@link #costNanos} less {@code batch-discount-percent}. */
    public long batchCostNanos(long promptTokens, long completionTokens, long cachedTokens) {
        if (isPtu()) return 0;
        return nanos(usdPerMillion(promptTokens, completionTokens, cachedTokens)
                .multiply(HUNDRED.subtract(batchDiscountPercent)).divide(HUNDRED));
    }

    private static long nanos(BigDecimal micros) {
        return micros.multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    /**
     * What one request counts against a money budget, in micro-USD, rounded up so a budget is
     * never under-charged (P USD per 1M tokens is P micro-USD per token). PTU: its monthly share.
     */
    public long budgetMicroUsd(long promptTokens, long completionTokens, long cachedTokens) {
        BigDecimal micros;
        if (isPtu()) {
            micros = ptuMonthlyUsd.get().multiply(BigDecimal.valueOf(1_000_000))
                    .multiply(BigDecimal.valueOf(promptTokens + completionTokens))
                    .divide(BigDecimal.valueOf(ptuMonthlyTokens), 0, RoundingMode.UP);
        } else {
            micros = usdPerMillion(promptTokens, completionTokens, cachedTokens);
        }
        return micros.setScale(0, RoundingMode.UP).longValueExact();
    }

    public long ptuMonthlyNanos() {
        return ptuMonthlyUsd.map(c -> c.multiply(NANOS_PER_USD).setScale(0, RoundingMode.HALF_EVEN).longValueExact())
                .orElse(0L);
    }

    /** Tokens × USD per 1M tokens, after the discount: the cost in micro-USD, unrounded. */
    private BigDecimal usdPerMillion(long prompt, long completion, long cachedTokens) {
        long cached = Math.min(Math.max(0, cachedTokens), prompt);
        BigDecimal full = inputPer1M.multiply(BigDecimal.valueOf(prompt - cached))
                .add(cachedInputPer1M.multiply(BigDecimal.valueOf(cached)))
                .add(outputPer1M.multiply(BigDecimal.valueOf(completion)));
        return full.multiply(HUNDRED.subtract(discountPercent)).divide(HUNDRED);
    }
}
