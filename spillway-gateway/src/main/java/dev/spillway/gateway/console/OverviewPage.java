package dev.spillway.gateway.console;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.ledger.MinuteRollups;
import dev.spillway.gateway.ledger.ReportFormat;
import dev.spillway.gateway.ledger.RollupStore;
import dev.spillway.gateway.price.Price;
import dev.spillway.gateway.price.PriceTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The overview's series over the last hour, day or 30 days, from the per-minute rollups: requests,
 * tokens, cost, 429s given (by the gateway's own limits) and received (from backends), tokens
 * spilled to pay-as-you-go backends, and PTU utilization per backend. Buckets are aligned to their
 * step and every bucket is present (zeros where nothing happened). Blocking. Thread-safe.
 */
final class OverviewPage {
    /** A window and its bucket width: 60 one-minute buckets, 96 quarter hours, 120 six-hour buckets. */
    enum Range {
        HOUR(Duration.ofMinutes(1), 60), DAY(Duration.ofMinutes(15), 96), MONTH(Duration.ofHours(6), 120);

        final Duration step;
        final int buckets;

        Range(Duration step, int buckets) {
            this.step = step;
            this.buckets = buckets;
        }

        static Range parse(String text) {
            return switch (text) {
                case "hour" -> HOUR;
                case "day" -> DAY;
                case "30d", "month" -> MONTH;
                default -> throw new SpillwayException.InvalidRequest("invalid_parameter",
                        "range must be hour, day or 30d; was '" + text + "'", "range");
            };
        }
    }

    private final MinuteRollups rollups;
    private final Supplier<PriceTable> prices;
    private final Clock clock;

    OverviewPage(MinuteRollups rollups, Supplier<PriceTable> prices, Clock clock) {
        this.rollups = rollups;
        this.prices = prices;
        this.clock = clock;
    }

    Answer answer(Range range) throws Exception {
        long step = range.step.toMillis();
        long to = Math.floorDiv(clock.millis(), step) * step + step;
        long from = to - range.buckets * step;
        Map<Long, long[]> points = new TreeMap<>();
        for (long t = from; t < to; t += step) points.put(t, new long[6]);
        Map<String, Map<Long, double[]>> utilization = new TreeMap<>();
        rollups.read((store, pendingUsage, pendingBackends) -> {
            for (RollupStore.UsageMinute m : store.usage(Instant.ofEpochMilli(from), Instant.ofEpochMilli(to), step)) {
                addUsage(points, m, m.minuteMs());
            }
            for (RollupStore.UsageMinute m : pendingUsage) addUsage(points, m, Math.floorDiv(m.minuteMs(), step) * step);
            for (RollupStore.BackendMinute m : store.backends(Instant.ofEpochMilli(from), Instant.ofEpochMilli(to), step)) {
                addBackend(points, utilization, m, m.minuteMs());
            }
            for (RollupStore.BackendMinute m : pendingBackends) {
                addBackend(points, utilization, m, Math.floorDiv(m.minuteMs(), step) * step);
            }
            return null;
        });
        return Answer.json(body(range, from, to, points, utilization));
    }

    /** Columns: requests, tokens, cost nanos, 429s given, 429s received, tokens on pay-as-you-go backends. */
    private void addUsage(Map<Long, long[]> points, RollupStore.UsageMinute m, long bucket) {
        long[] p = points.get(bucket);
        if (p == null) return;
        p[0] += m.requests();
        p[1] += m.tokens();
        p[2] += m.costNanos();
        p[3] += m.rejected();
        if (!m.backend().isEmpty() && !prices.get().price(m.backend()).map(Price::isPtu).orElse(false)) p[5] += m.tokens();
    }

    private static void addBackend(Map<Long, long[]> points, Map<String, Map<Long, double[]>> utilization,
            RollupStore.BackendMinute m, long bucket) {
        long[] p = points.get(bucket);
        if (p == null) return;
        p[4] += m.throttled();
        if (m.utilizationSamples() == 0) return;
        double[] u = utilization.computeIfAbsent(m.backend(), b -> new TreeMap<>()).computeIfAbsent(bucket, t -> new double[2]);
        u[0] += m.utilizationSum();
        u[1] += m.utilizationSamples();
    }

    private ObjectNode body(Range range, long from, long to, Map<Long, long[]> points,
            Map<String, Map<Long, double[]>> utilization) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("range", range.name().toLowerCase(java.util.Locale.ROOT))
                .put("from", Instant.ofEpochMilli(from).toString()).put("to", Instant.ofEpochMilli(to).toString())
                .put("step-seconds", range.step.toSeconds());
        long[] total = new long[6];
        ArrayNode list = root.putArray("points");
        points.forEach((t, p) -> {
            list.addObject().put("t", t).put("requests", p[0]).put("tokens", p[1]).put("cost-usd", ReportFormat.usd(p[2]))
                    .put("rejected", p[3]).put("throttled", p[4]).put("spilled-tokens", p[5]);
            for (int i = 0; i < total.length; i++) total[i] += p[i];
        });
        ObjectNode totals = root.putObject("totals").put("requests", total[0]).put("tokens", total[1])
                .put("cost-usd", ReportFormat.usd(total[2])).put("rejected", total[3]).put("throttled", total[4])
                .put("spilled-tokens", total[5]);
        if (prices.get().all().stream().noneMatch(Price::isPtu) || total[1] == 0) totals.putNull("spilled-share");
        else totals.put("spilled-share", (double) total[5] / total[1]);
        ObjectNode util = root.putObject("utilization");
        Set<String> names = new TreeSet<>(utilization.keySet());
        for (String b : names) {
            ArrayNode series = util.putArray(b);
            for (long t : List.copyOf(points.keySet())) {
                double[] u = utilization.get(b).get(t);
                if (u == null) series.addNull();
                else series.add(Math.round(u[0] / u[1] * 10) / 10.0);
            }
        }
        return root;
    }
}
