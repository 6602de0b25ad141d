package dev.spillway.gateway.ledger;

import dev.spillway.gateway.price.Price;
import dev.spillway.gateway.price.PriceTable;
import java.math.BigInteger;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Chargeback for one month: ledger sums per group key (each request already priced at the
 * pay-as-you-go backend that served it), plus each PTU backend's flat monthly cost split across
 * keys by their share of that backend's tokens. The split uses largest remainders in nano-USD,
 * so the shares add up to the monthly cost exactly; a PTU backend nobody used that month shows as
 * its own "(unused ptu: NAME)" row. Immutable value.
 */
public record ChargebackReport(YearMonth period, Dimension by, List<Row> rows, Row total, List<SafetyTotals> safety) {

    /**
     * One line of the report; costs in nano-USD; {@code batchTokens} the tokens of Batch API lines,
     * {@code batchDiscountNanos} what the batch price took off their cost (already out of the
     * metered cost); {@code blockedRequests}, {@code redactedRequests} the requests a safety check
     * blocked or redacted; {@code cacheHits} the requests the response cache answered and
     * {@code savedNanos} what those answers had cost.
     */
    public record Row(String key, long requests, long promptTokens, long completionTokens, long cachedTokens,
            long reasoningTokens, long batchTokens, long meteredCostNanos, long ptuCostNanos, long batchDiscountNanos,
            long blockedRequests, long redactedRequests, long cacheHits, long savedNanos) {
        /** A line without cache hits. */
        public Row(String key, long requests, long promptTokens, long completionTokens, long cachedTokens,
                long reasoningTokens, long batchTokens, long meteredCostNanos, long ptuCostNanos,
                long batchDiscountNanos, long blockedRequests, long redactedRequests) {
            this(key, requests, promptTokens, completionTokens, cachedTokens, reasoningTokens, batchTokens,
                    meteredCostNanos, ptuCostNanos, batchDiscountNanos, blockedRequests, redactedRequests, 0, 0);
        }

        public Row(String key, long requests, long promptTokens, long completionTokens, long cachedTokens,
                long reasoningTokens, long meteredCostNanos, long ptuCostNanos) {
            this(key, requests, promptTokens, completionTokens, cachedTokens, reasoningTokens, 0, meteredCostNanos,
                    ptuCostNanos, 0, 0, 0);
        }

        public long costNanos() {
            return meteredCostNanos + ptuCostNanos;
        }

        Row plus(Row o) {
            return new Row(key, requests + o.requests, promptTokens + o.promptTokens,
                    completionTokens + o.completionTokens, cachedTokens + o.cachedTokens,
                    reasoningTokens + o.reasoningTokens, batchTokens + o.batchTokens, meteredCostNanos + o.meteredCostNanos,
                    ptuCostNanos + o.ptuCostNanos, batchDiscountNanos + o.batchDiscountNanos,
                    blockedRequests + o.blockedRequests, redactedRequests + o.redactedRequests,
                    cacheHits + o.cacheHits, savedNanos + o.savedNanos);
        }
    }

    /** The same report with only the rows whose key is in {@code keys}, and their own total (an app owner's view). */
    public ChargebackReport only(java.util.Set<String> keys) {
        List<Row> kept = rows.stream().filter(r -> keys.contains(r.key())).toList();
        Row sum = new Row(total.key(), 0, 0, 0, 0, 0, 0, 0);
        for (Row r : kept) sum = sum.plus(r);
        return new ChargebackReport(period, by, kept, sum, safety.stream().filter(s -> keys.contains(s.key())).toList());
    }

    public static ChargebackReport build(YearMonth period, Dimension by, List<UsageTotals> totals, PriceTable prices) {
        return build(period, by, totals, prices, List.of());
    }

    /** The report with its safety lines: requests blocked and redacted per group key and check. */
    public static ChargebackReport build(YearMonth period, Dimension by, List<UsageTotals> totals, PriceTable prices,
            List<SafetyTotals> safety) {
        Map<String, Row> rows = new TreeMap<>();
        for (UsageTotals t : totals) {
            Row r = new Row(t.key(), t.requests(), t.promptTokens(), t.completionTokens(), t.cachedTokens(),
                    t.reasoningTokens(), t.batchTokens(), t.costNanos(), 0, t.batchDiscountNanos(),
                    t.blockedRequests(), t.redactedRequests(), t.cacheHits(),
                    t.savedNanos());
            rows.merge(t.key(), r, Row::plus);
        }
        for (Price p : prices.all()) {
            if (p.isPtu()) attributePtu(p, totals, rows);
        }
        Row total = new Row("total", 0, 0, 0, 0, 0, 0, 0);
        for (Row r : rows.values()) total = total.plus(r);
        return new ChargebackReport(period, by, List.copyOf(rows.values()), total, List.copyOf(safety));
    }

    private static void attributePtu(Price ptu, List<UsageTotals> totals, Map<String, Row> rows) {
        Map<String, Long> tokens = new LinkedHashMap<>();
        for (UsageTotals t : totals) {
            if (t.backend().equals(ptu.backend())) tokens.merge(t.key(), t.totalTokens(), Long::sum);
        }
        long monthly = ptu.ptuMonthlyNanos();
        long all = tokens.values().stream().mapToLong(Long::longValue).sum();
        if (all == 0) {
            rows.merge("(unused ptu: " + ptu.backend() + ")",
                    new Row("(unused ptu: " + ptu.backend() + ")", 0, 0, 0, 0, 0, 0, monthly), Row::plus);
            return;
        }
        for (Map.Entry<String, Long> share : split(monthly, tokens, all).entrySet()) {
            rows.merge(share.getKey(), new Row(share.getKey(), 0, 0, 0, 0, 0, 0, share.getValue()), Row::plus);
        }
    }

    /** Largest-remainder split of {@code amount} by weight: the parts always add up to {@code amount}. */
    static Map<String, Long> split(long amount, Map<String, Long> weights, long totalWeight) {
        record Part(String key, long floor, long remainder) {}
        List<Part> parts = new ArrayList<>();
        long given = 0;
        for (Map.Entry<String, Long> w : weights.entrySet()) {
            BigInteger[] qr = BigInteger.valueOf(amount).multiply(BigInteger.valueOf(w.getValue()))
                    .divideAndRemainder(BigInteger.valueOf(totalWeight));
            parts.add(new Part(w.getKey(), qr[0].longValueExact(), qr[1].longValueExact()));
            given += qr[0].longValueExact();
        }
        parts.sort(Comparator.comparingLong(Part::remainder).reversed().thenComparing(Part::key));
        Map<String, Long> out = new TreeMap<>();
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            out.put(p.key(), p.floor() + (i < amount - given ? 1 : 0));
        }
        return out;
    }
}
