package dev.spillway.bench;

import org.HdrHistogram.Histogram;

import java.util.Optional;

/**
 * Summary of one latency (milliseconds) or utilization (percent) distribution over an interval or a
 * whole run. Immutable.
 */
public record Percentiles(long count, double mean, double p50, double p90, double p95, double p99, double max) {

    /** Summarises {@code h}, whose values are {@code unitsPerOutput} histogram units per output unit; empty when no samples. */
    static Optional<Percentiles> of(Histogram h, double unitsPerOutput) {
        if (h.getTotalCount() == 0) {
            return Optional.empty();
        }
        return Optional.of(new Percentiles(h.getTotalCount(),
                round(h.getMean() / unitsPerOutput),
                round(h.getValueAtPercentile(50) / unitsPerOutput),
                round(h.getValueAtPercentile(90) / unitsPerOutput),
                round(h.getValueAtPercentile(95) / unitsPerOutput),
                round(h.getValueAtPercentile(99) / unitsPerOutput),
                round(h.getMaxValue() / unitsPerOutput)));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
