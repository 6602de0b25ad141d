package dev.spillway.gateway.ledger;

import dev.spillway.core.config.ConfigNode;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code gateway.prices}: what each deployment costs, keyed by deployment alias. A deployment
 * with no entry costs nothing (reports show it with zero cost). Immutable, thread-safe.
 */
public record PriceTable(Map<String, DeploymentPrice> byDeployment) {
    public PriceTable {
        byDeployment = Map.copyOf(byDeployment);
    }

    public static PriceTable empty() {
        return new PriceTable(Map.of());
    }

    public static PriceTable of(List<DeploymentPrice> prices) {
        Map<String, DeploymentPrice> map = new LinkedHashMap<>();
        for (DeploymentPrice p : prices) {
            if (map.putIfAbsent(p.deployment(), p) != null) {
                throw new IllegalArgumentException("deployment: '" + p.deployment() + "' is priced twice");
            }
        }
        return new PriceTable(map);
    }

    public Optional<DeploymentPrice> price(String deployment) {
        return Optional.ofNullable(byDeployment.get(deployment));
    }

    public long costNanos(String deployment, long promptTokens, long completionTokens, long cachedTokens) {
        return costNanos(deployment, promptTokens, completionTokens, cachedTokens, false);
    }

    /** As above; a Batch API line ({@code batch}) gets the deployment's {@code batch-discount}. */
    public long costNanos(String deployment, long promptTokens, long completionTokens, long cachedTokens,
            boolean batch) {
        return price(deployment).map(p -> p.costNanos(promptTokens, completionTokens, cachedTokens, batch)).orElse(0L);
    }

    /**
     * Reads the list under {@code gateway.prices}, e.g.
     * {@code - {deployment: gpt-4o, input-per-1m: 2.50, output-per-1m: 10, cached-input-per-1m: 1.25}}
     * or {@code - {deployment: gpt-4o-ptu, ptu-monthly-cost: 20000}}; either may add
     * {@code batch-discount: 50} (percent off for Batch API lines).
     */
    public static PriceTable from(ConfigNode gateway) {
        List<DeploymentPrice> prices = gateway.list("prices", PriceTable::entry);
        PriceTable table = gateway.child("prices").build(() -> of(prices));
        return table == null ? empty() : table;
    }

    private static DeploymentPrice entry(ConfigNode n) {
        n.allowOnly("deployment", "input-per-1m", "output-per-1m", "cached-input-per-1m", "ptu-monthly-cost",
                "batch-discount");
        String deployment = n.requiredString("deployment");
        BigDecimal in = decimal(n, "input-per-1m").orElse(BigDecimal.ZERO);
        BigDecimal out = decimal(n, "output-per-1m").orElse(BigDecimal.ZERO);
        BigDecimal cached = decimal(n, "cached-input-per-1m").orElse(in);
        Optional<BigDecimal> ptu = decimal(n, "ptu-monthly-cost");
        BigDecimal discount = decimal(n, "batch-discount").orElse(BigDecimal.ZERO);
        return n.build(() -> new DeploymentPrice(deployment, in, out, cached, ptu, discount));
    }

    private static Optional<BigDecimal> decimal(ConfigNode n, String key) {
        Optional<String> text = n.optionalString(key);
        try {
            return text.map(BigDecimal::new);
        } catch (NumberFormatException e) {
            n.problem(key, "must be a decimal number (USD), was '" + text.orElse("") + "'");
            return Optional.empty();
        }
    }
}
