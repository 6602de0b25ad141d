package dev.spillway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the fleet test saw and what it checks: the figures as a Markdown table for
 * docs/reliability.md, and {@link #assertHolds} for the three properties it asserts.
 */
record FleetReport(int rate, Duration duration, FleetLoad load, List<Window> faults, Set<String> missing,
        long duplicates, long ledgerRows, List<QuotaWindow> quota, long quotaLimit, int rabbitPublished,
        int rabbitAnswered, int rabbitRedelivered, int acknowledged, double gatewayMeanMs, String configs) {

    /** A half-open interval of epoch milliseconds in which a fault was in force. */
    record Window(String name, long from, long to) {
        /** Whether the request was in flight at some time in the window (sent before its end, done after its start). */
        boolean covers(FleetLoad.Outcome o) { return o.sentAtMs() < to && o.doneAtMs() >= from; }
    }

    /** Per UTC minute: tokens the metered app was served, its answered requests, and whether Redis was out in it. */
    record QuotaWindow(long minute, long tokens, long requests, long largest, boolean redisFault) {
        boolean withinOneEstimate(long limit) { return tokens <= limit + FleetLoad.ESTIMATE; }
    }

    void assertHolds() {
        assertThat(missing).as("acknowledged but not in the ledger").isEmpty();
        assertThat(duplicates).as("request ids in the ledger twice").isZero();
        assertThat(quota).as("the metered app was served at all").isNotEmpty();
        for (QuotaWindow w : quota) {
            assertThat(w.largest()).as("a metered request used at most its estimate")
                    .isLessThanOrEqualTo(FleetLoad.ESTIMATE);
            assertThat(w.tokens()).as("tokens served to the metered app in minute %s, fleet-wide%s", minute(w),
                            w.redisFault() ? " (Redis restarted empty in it)" : "")
                    .isLessThanOrEqualTo(quotaLimit + FleetLoad.ESTIMATE);
        }
    }

    /** Client errors: anything but a complete answer, except the metered key's 429s (its quota at work). */
    private static boolean error(FleetLoad.Outcome o) {
        return !o.result().equals("200") && !(o.metered() && o.result().equals("429"));
    }

    String table() throws IOException {
        List<FleetLoad.Outcome> all = List.copyOf(load.outcomes);
        StringBuilder t = new StringBuilder();
        String load1 = Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
        t.append(String.format(Locale.ROOT, "### Fleet test, %s (load average %s at the end, %d cores)%n%n",
                Instant.now().toString().substring(0, 16).replace('T', ' ') + " UTC", load1,
                Runtime.getRuntime().availableProcessors()));
        t.append("| figure | value |\n|---|---|\n");
        row(t, "offered", String.format(Locale.ROOT, "%,d req/s for %d s (HTTP), %,d AMQP messages", rate,
                duration.toSeconds(), rabbitPublished));
        row(t, "sent (HTTP)", String.format(Locale.ROOT, "%,d (%.0f req/s); %,d due while %d were in flight, not sent",
                all.size(), all.size() / (double) duration.toSeconds(), load.notSent.get(), FleetLoad.MAX_IN_FLIGHT));
        row(t, "acknowledged", String.format(Locale.ROOT, "%,d (HTTP 200s and streams with [DONE], AMQP answers 200)",
                acknowledged));
        row(t, "outcomes (HTTP)", outcomes(all));
        row(t, "refused connections re-sent to the next replica", String.format(Locale.ROOT, "%,d", load.rerouted.get()));
        double clientMeanMs = all.stream().mapToLong(o -> o.doneAtMs() - o.sentAtMs()).average().orElse(Double.NaN);
        row(t, "mean latency, client vs gateways", String.format(Locale.ROOT, "%.1f ms as the client saw it, %.1f ms "
                + "inside the gateways (the rest is spent between them: client, kernel queues, CPU)", clientMeanMs,
                gatewayMeanMs));
        row(t, "replicas comparing configs (replica 0's view)", configs);
        row(t, "ledger rows", String.format(Locale.ROOT, "%,d", ledgerRows));
        row(t, "**acknowledged, missing from the ledger**", "**" + missing.size() + "**");
        row(t, "**request ids in the ledger twice**", "**" + duplicates + "**");
        row(t, "AMQP messages answered twice (redelivered after the kill)", String.valueOf(rabbitRedelivered));
        t.append("\n| fault window | length | HTTP requests in flight in it | client errors |\n|---|---|---|---|\n");
        for (Window w : faults) {
            List<FleetLoad.Outcome> in = all.stream().filter(o -> w.covers(o)).toList();
            t.append(String.format(Locale.ROOT, "| %s | %.1f s | %,d | %s |%n", w.name(), (w.to() - w.from()) / 1000.0,
                    in.size(), errors(in)));
        }
        List<FleetLoad.Outcome> calm = all.stream().filter(o -> faults.stream().noneMatch(w -> w.covers(o)))
                .toList();
        t.append(String.format(Locale.ROOT, "| outside both | | %,d | %s |%n", calm.size(), errors(calm)));
        t.append(String.format(Locale.ROOT, "%n| minute (UTC) | metered app's tokens served, fleet-wide | requests "
                + "| quota | within quota + one estimate (%d) |%n|---|---|---|---|---|%n", FleetLoad.ESTIMATE));
        for (QuotaWindow w : quota) {
            t.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %s |%n", minute(w), w.tokens(), w.requests(),
                    quotaLimit, (w.withinOneEstimate(quotaLimit) ? "yes" : "**no**, +" + (w.tokens() - quotaLimit))
                            + (w.redisFault() ? " (Redis restarted empty in it)" : "")));
        }
        return t.toString();
    }

    /** Every client error, one line each (seconds into the run, replica, kind, result), for a failed or odd run. */
    void writeErrors(Path file, long started) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Window w : faults) {
            b.append(String.format(Locale.ROOT, "# %s: %.3f s to %.3f s%n", w.name(), (w.from() - started) / 1000.0,
                    (w.to() - started) / 1000.0));
        }
        load.outcomes.stream().filter(FleetReport::error)
                .sorted(java.util.Comparator.comparingLong(FleetLoad.Outcome::sentAtMs))
                .forEach(o -> b.append(String.format(Locale.ROOT, "%8.3f s  replica %d  %s  %s%n",
                        (o.sentAtMs() - started) / 1000.0, o.gateway() + 1,
                        o.metered() ? "metered" : o.streamed() ? "stream" : "chat", o.result())));
        Files.writeString(file, b.toString());
    }

    private static String minute(QuotaWindow w) {
        return Instant.ofEpochSecond(w.minute() * 60).toString().substring(11, 16);
    }

    private static void row(StringBuilder t, String name, String value) {
        t.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }

    private static String outcomes(List<FleetLoad.Outcome> all) {
        Map<String, Long> by = new TreeMap<>(all.stream().collect(Collectors.groupingBy(
                o -> (o.metered() ? "metered " : "") + o.result(), Collectors.counting())));
        return by.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s: %,d", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String errors(List<FleetLoad.Outcome> in) {
        List<FleetLoad.Outcome> errors = in.stream().filter(FleetReport::error).toList();
        return errors.isEmpty() ? "0" : errors.size() + " (" + outcomes(errors) + ")";
    }
}
