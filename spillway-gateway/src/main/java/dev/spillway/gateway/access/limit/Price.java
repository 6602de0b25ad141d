package dev.spillway.gateway.access.limit;

import dev.spillway.core.config.ConfigNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * What a deployment costs, per million tokens (input, cached input, output), or, for provisioned
 * throughput (PTU), a flat monthly cost spread over the tokens the deployment is expected to serve
 * in a month, so each caller is charged its share. Immutable.
 */
public record Price(String deployment, BigDecimal inputPerMillion, BigDecimal cachedInputPerMillion,
        BigDecimal outputPerMillion, Optional<BigDecimal> ptuMonthlyUsd, long ptuMonthlyTokens) {
    public Price {
        if (deployment == null || deployment.isBlank()) throw new IllegalArgumentException("deployment: is required");
        for (BigDecimal v : new BigDecimal[] {inputPerMillion, cachedInputPerMillion, outputPerMillion}) {
            if (v.signum() < 0) throw new IllegalArgumentException("prices must be >= 0, was " + v);
        }
        if (ptuMonthlyUsd.isPresent() && ptuMonthlyTokens <= 0) {
            throw new IllegalArgumentException("ptu-monthly-tokens: must be > 0 when ptu-monthly-usd is set");
        }
    }

    /**
     * The cost in micro-dollars, rounded up so a budget is never under-charged. A price of P USD per
     * million tokens is exactly P micro-dollars per token.
     */
    public long microUsd(long input, long cachedInput, long output) {
        BigDecimal micros;
        if (ptuMonthlyUsd.isPresent()) {
            BigDecimal microsPerToken = ptuMonthlyUsd.get().multiply(BigDecimal.valueOf(1_000_000))
                    .divide(BigDecimal.valueOf(ptuMonthlyTokens), 12, RoundingMode.UP);
            micros = microsPerToken.multiply(BigDecimal.valueOf(input + cachedInput + output));
        } else {
            micros = inputPerMillion.multiply(BigDecimal.valueOf(Math.max(0, input - cachedInput)))
                    .add(cachedInputPerMillion.multiply(BigDecimal.valueOf(cachedInput)))
                    .add(outputPerMillion.multiply(BigDecimal.valueOf(output)));
        }
        return micros.setScale(0, RoundingMode.UP).longValueExact();
    }

    static Price from(ConfigNode n) {
        n.allowOnly("deployment", "input-per-million", "cached-input-per-million", "output-per-million",
                "ptu-monthly-usd", "ptu-monthly-tokens");
        BigDecimal input = money(n, "input-per-million");
        return n.build(() -> new Price(n.requiredString("deployment"), input,
                n.has("cached-input-per-million") ? money(n, "cached-input-per-million") : input,
                money(n, "output-per-million"),
                n.has("ptu-monthly-usd") ? Optional.of(money(n, "ptu-monthly-usd")) : Optional.empty(),
                n.longValue("ptu-monthly-tokens", 0)));
    }

    static BigDecimal money(ConfigNode n, String key) {
        String text = n.string(key, "0");
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            n.problem(key, "must be a number, was '" + text + "'");
            return BigDecimal.ZERO;
        }
    }
}
