package dev.spillway.gateway.ledger;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code gateway.prices}: either pay-as-you-go prices in USD per 1M tokens
 * ({@code input-per-1m}, {@code output-per-1m}, {@code cached-input-per-1m}, default = input) or
 * a flat {@code ptu-monthly-cost} in USD for provisioned capacity. {@code batch-discount} is the
 * percent taken off the metered price of Batch API lines (OpenAI's batch price is 50 % off).
 * Immutable.
 */
public record DeploymentPrice(String deployment, BigDecimal inputPer1M, BigDecimal outputPer1M,
        BigDecimal cachedInputPer1M, Optional<BigDecimal> ptuMonthlyCost, BigDecimal batchDiscountPercent) {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final BigDecimal NANOS_PER_USD_PER_1M = BigDecimal.valueOf(1000);
    private static final BigDecimal NANOS_PER_USD = BigDecimal.valueOf(1_000_000_000L);

    public DeploymentPrice {
        Objects.requireNonNull(deployment, "deployment: is required");
        for (BigDecimal p : new BigDecimal[] {inputPer1M, outputPer1M, cachedInputPer1M, ptuMonthlyCost.orElse(BigDecimal.ZERO)}) {
            if (p.signum() < 0) throw new IllegalArgumentException("price: must be >= 0, was " + p);
        }
        if (ptuMonthlyCost.isPresent() && (inputPer1M.signum() != 0 || outputPer1M.signum() != 0)) {
            throw new IllegalArgumentException(
                    "ptu-monthly-cost: a PTU deployment is priced flat; remove input-per-1m/output-per-1m");
        }
        if (batchDiscountPercent.signum() < 0 || batchDiscountPercent.compareTo(HUNDRED) > 0) {
            throw new IllegalArgumentException("batch-discount: must be 0-100 percent, was " + batchDiscountPercent);
        }
    }

    /** A price without a batch discount. */
    public DeploymentPrice(String deployment, BigDecimal inputPer1M, BigDecimal outputPer1M,
            BigDecimal cachedInputPer1M, Optional<BigDecimal> ptuMonthlyCost) {
        this(deployment, inputPer1M, outputPer1M, cachedInputPer1M, ptuMonthlyCost, BigDecimal.ZERO);
    }

    /** As {@link #costNanos(long, long, long)}, less the batch discount when {@code batch}. */
    public long costNanos(long promptTokens, long completionTokens, long cachedTokens, boolean batch) {
        long full = costNanos(promptTokens, completionTokens, cachedTokens);
        if (!batch || batchDiscountPercent.signum() == 0) return full;
        return BigDecimal.valueOf(full).multiply(HUNDRED.subtract(batchDiscountPercent)).divide(HUNDRED)
                .setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    public boolean isPtu() {
        return ptuMonthlyCost.isPresent();
    }

    /** The metered cost of one request in nano-USD (0 for PTU: its cost is flat, attributed in reports). */
    public long costNanos(long promptTokens, long completionTokens, long cachedTokens) {
        if (isPtu()) return 0;
        long cached = Math.min(cachedTokens, promptTokens);
        BigDecimal usdTimesMillion = inputPer1M.multiply(BigDecimal.valueOf(promptTokens - cached))
                .add(cachedInputPer1M.multiply(BigDecimal.valueOf(cached)))
                .add(outputPer1M.multiply(BigDecimal.valueOf(completionTokens)));
        return usdTimesMillion.multiply(NANOS_PER_USD_PER_1M).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    public long ptuMonthlyNanos() {
        return ptuMonthlyCost.map(c -> c.multiply(NANOS_PER_USD).setScale(0, RoundingMode.HALF_EVEN).longValueExact())
                .orElse(0L);
    }
}
