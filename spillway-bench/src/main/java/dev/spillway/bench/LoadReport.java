package dev.spillway.bench;

import java.util.Map;
import java.util.Optional;

/**
 * What a load run saw, either over one aggregation interval ({@link Kind#INTERVAL}) or over the whole
 * run ({@link Kind#FINAL}, whose window is the run after its warm-up). Rates are per second of the window ({@code rps}) and per minute
 * ({@code rpm}, {@code tpm*}). Latencies are milliseconds: {@code e2e} and {@code ttft} from the
 * request's scheduled send time (open loop, so queueing in the generator or the target counts),
 * {@code e2eSent} and {@code ttftSent} from the moment the request was actually written (so they
 * leave out time spent waiting for a free client), {@code tbt} the mean gap
 * between content frames of each stream. {@code util} is Azure's
 * {@code azure-openai-deployment-utilization} header in percent. Immutable.
 *
 * @param contextTokens   prompt tokens of the completed requests (reported usage, else the estimate)
 * @param generatedTokens completion tokens (reported usage, else the count of content frames)
 * @param outcomes   responses by HTTP status, and errors by kind ({@code connect}, {@code timeout},
 *                   {@code broken-stream}, {@code error}); cumulative since the run started
 * @param unfinished requests still in flight when the drain timeout ended the run (final only)
 */
public record LoadReport(Kind kind, double runSeconds, double windowSeconds, double targetRate,
                         long sent, long completed, long failures, long throttled, long retries,
                         long inFlight, long backlog, double rps, double rpm,
                         long contextTokens, long generatedTokens, double tpmContext, double tpmGenerated,
                         Optional<Percentiles> e2e, Optional<Percentiles> e2eSent,
                         Optional<Percentiles> ttft, Optional<Percentiles> ttftSent, Optional<Percentiles> tbt,
                         Optional<Percentiles> util, Map<String, Long> outcomes, long unfinished) {

    /** Whether the report covers one interval or the whole run. */
    public enum Kind { INTERVAL, FINAL }

    public LoadReport {
        outcomes = Map.copyOf(outcomes);
    }

    static LoadReport of(Kind kind, Metrics.Window w, double runSeconds, double windowSeconds,
                         double targetRate, long inFlight, long backlog, Map<String, Long> outcomes,
                         long unfinished) {
        double seconds = Math.max(windowSeconds, 1e-9);
        long completed = w.count(Metrics.Counter.COMPLETED);
        double rps = completed / seconds;
        return new LoadReport(kind, runSeconds, windowSeconds, targetRate,
                w.count(Metrics.Counter.SENT), completed, w.count(Metrics.Counter.FAILURES),
                w.count(Metrics.Counter.THROTTLED), w.count(Metrics.Counter.RETRIES),
                inFlight, backlog, round(rps), round(rps * 60),
                w.count(Metrics.Counter.CONTEXT_TOKENS), w.count(Metrics.Counter.GENERATED_TOKENS),
                round(w.count(Metrics.Counter.CONTEXT_TOKENS) * 60 / seconds),
                round(w.count(Metrics.Counter.GENERATED_TOKENS) * 60 / seconds),
                ms(w, Metrics.Distribution.E2E), ms(w, Metrics.Distribution.E2E_SENT),
                ms(w, Metrics.Distribution.TTFT), ms(w, Metrics.Distribution.TTFT_SENT),
                ms(w, Metrics.Distribution.TBT),
                Percentiles.of(w.histogram(Metrics.Distribution.UTIL), Metrics.UTIL_UNITS_PER_PERCENT),
                outcomes, unfinished);
    }

    private static Optional<Percentiles> ms(Metrics.Window w, Metrics.Distribution d) {
        return Percentiles.of(w.histogram(d), Metrics.MICROS_PER_MS);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
