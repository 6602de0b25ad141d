package dev.spillway.gateway.price;

import dev.spillway.core.config.ConfigNode;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code gateway.prices}: what each backend costs, keyed by backend name. The one price table:
 * the ledger prices each request at the backend that served it, the chargeback report shares
 * PTU backends' flat cost, and money budgets reserve and settle with it. A backend with no
 * entry costs nothing. Immutable, thread-safe.
 */
public record PriceTable(Map<String, Price> byBackend) {
    public PriceTable {
        byBackend = Map.copyOf(byBackend);
    }

    public static PriceTable empty() {
        return new PriceTable(Map.of());
    }

    public static PriceTable of(List<Price> prices) {
        Map<String, Price> map = new LinkedHashMap<>();
        for (Price p : prices) {
            if (map.putIfAbsent(p.backend(), p) != null) {
                throw new IllegalArgumentException("backend: '" + p.backend() + "' is priced twice");
            }
        }
        return new PriceTable(map);
    }

    public Optional<Price> price(String backend) {
        return Optional.ofNullable(byBackend.get(backend));
    }

    public Collection<Price> all() {
        return byBackend.values();
    }

    /** The ledger's cost of one request served by {@code backend}, in nano-USD. */
    public long costNanos(String backend, long promptTokens, long completionTokens, long cachedTokens) {
        return price(backend).map(p -> p.costNanos(promptTokens, completionTokens, cachedTokens)).orElse(0L);
    }

    /**
     * The ledger's cost of one batch line served by {@code backend} (after the price's
     * {@code batch-discount-percent}), in nano-USD.
     */
    public long batchCostNanos(String backend, long promptTokens, long completionTokens, long cachedTokens) {
        return price(backend).map(p -> p.batchCostNanos(promptTokens, completionTokens, cachedTokens)).orElse(0L);
    }

    /**
     * The budget charge of a request before its backend is known: the dearest of the backends it
     * may be sent to, so a reservation never holds too little.
     */
    public long highestBudgetMicroUsd(List<String> backends, long prompt, long completion) {
        long most = 0;
        for (String b : backends) {
            most = Math.max(most, price(b).map(p -> p.budgetMicroUsd(prompt, completion, 0)).orElse(0L));
        }
        return most;
    }

    /**
     * Reads the list under {@code gateway.prices}, e.g.
     * {@code - {backend: payg-east, input-per-1m: 2.50, output-per-1m: 10, cached-input-per-1m: 1.25}}
     * or {@code - {backend: ptu-east, ptu-monthly-usd: 20000, ptu-monthly-tokens: 4000000000}}.
     */
    public static PriceTable from(ConfigNode gateway) {
        List<Price> prices = gateway.list("prices", PriceTable::entry);
        PriceTable table = gateway.child("prices").build(() -> of(prices));
        return table == null ? empty() : table;
    }

    private static Price entry(ConfigNode n) {
        n.allowOnly("backend", "input-per-1m", "output-per-1m", "cached-input-per-1m", "ptu-monthly-usd",
                "ptu-monthly-tokens", "discount-percent", "batch-discount-percent");
        String backend = n.requiredString("backend");
        BigDecimal in = n.exactDecimal("input-per-1m").orElse(BigDecimal.ZERO);
        BigDecimal out = n.exactDecimal("output-per-1m").orElse(BigDecimal.ZERO);
        BigDecimal cached = n.exactDecimal("cached-input-per-1m").orElse(in);
        Optional<BigDecimal> ptu = n.exactDecimal("ptu-monthly-usd");
        BigDecimal discount = n.exactDecimal("discount-percent").orElse(BigDecimal.ZERO);
        BigDecimal batch = n.exactDecimal("batch-discount-percent").orElse(BigDecimal.ZERO);
        long tokens = n.longValue("ptu-monthly-tokens", 0);
        return n.build(() -> new Price(backend, in, cached, out, ptu, tokens, discount, batch));
    }
}
