package dev.spillway.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Json;

import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;

/**
 * How {@code spillway bench} prints reports: one line per report for people, or one JSON object
 * per line for scripts. Stateless and thread-safe.
 */
public enum ReportFormat {
    HUMAN {
        @Override
        public String format(LoadReport r) {
            String head = r.kind() == LoadReport.Kind.FINAL
                    ? String.format(Locale.ROOT, "total %6.1fs", r.runSeconds())
                    : String.format(Locale.ROOT, "%10.1fs", r.runSeconds());
            return head + String.format(Locale.ROOT,
                    " rps %.1f rpm %.0f sent %d completed %d failures %d throttled %d retries %d"
                            + " in-flight %d backlog %d tpm ctx %.0f gen %.0f",
                    r.rps(), r.rpm(), r.sent(), r.completed(), r.failures(), r.throttled(), r.retries(),
                    r.inFlight(), r.backlog(), r.tpmContext(), r.tpmGenerated())
                    + latency(" e2e", r.e2e()) + latency(" e2e_sent", r.e2eSent())
                    + latency(" ttft", r.ttft()) + latency(" ttft_sent", r.ttftSent())
                    + latency(" tbt", r.tbt()) + util(r.util())
                    + (r.kind() == LoadReport.Kind.FINAL ? " outcomes " + r.outcomes() + " unfinished " + r.unfinished() : "");
        }

        private String latency(String name, Optional<Percentiles> p) {
            return name + p.map(v -> String.format(Locale.ROOT, " p50/p90/p99 %.2f/%.2f/%.2f ms", v.p50(), v.p90(), v.p99()))
                    .orElse(" n/a");
        }

        private String util(Optional<Percentiles> p) {
            return " util" + p.map(v -> String.format(Locale.ROOT, " p50/p95 %.1f%%/%.1f%%", v.p50(), v.p95())).orElse(" n/a");
        }
    },
    JSONL {
        @Override
        public String format(LoadReport r) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("type", r.kind().name().toLowerCase(Locale.ROOT));
            o.put("run_seconds", r.runSeconds()).put("window_seconds", r.windowSeconds());
            o.put("target_rps", r.targetRate()).put("rps", r.rps()).put("rpm", r.rpm());
            o.put("sent", r.sent()).put("completed", r.completed()).put("failures", r.failures())
                    .put("throttled", r.throttled()).put("retries", r.retries())
                    .put("in_flight", r.inFlight()).put("backlog", r.backlog());
            o.put("context_tokens", r.contextTokens()).put("generated_tokens", r.generatedTokens());
            o.putObject("tpm").put("context", r.tpmContext()).put("gen", r.tpmGenerated())
                    .put("total", r.tpmContext() + r.tpmGenerated());
            put(o, "e2e_ms", r.e2e());
            put(o, "e2e_sent_ms", r.e2eSent());
            put(o, "ttft_ms", r.ttft());
            put(o, "ttft_sent_ms", r.ttftSent());
            put(o, "tbt_ms", r.tbt());
            put(o, "util_pct", r.util());
            ObjectNode outcomes = o.putObject("outcomes");
            r.outcomes().forEach(outcomes::put);
            o.put("unfinished", r.unfinished());
            try {
                return Json.MAPPER.writeValueAsString(o);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void put(ObjectNode o, String field, Optional<Percentiles> p) {
            if (p.isEmpty()) {
                o.putNull(field);
                return;
            }
            Percentiles v = p.get();
            o.putObject(field).put("count", v.count()).put("mean", v.mean()).put("p50", v.p50())
                    .put("p90", v.p90()).put("p95", v.p95()).put("p99", v.p99()).put("max", v.max());
        }
    };

    /** One line, without the line terminator. */
    public abstract String format(LoadReport report);
}
