package dev.spillway.gateway.ledger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.wire.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a {@link ChargebackReport} is written: aligned text table, CSV or JSON. The table and the
 * JSON also list the safety checks that blocked or redacted requests, per key and check; the CSV
 * keeps one table (its {@code blocked} and {@code redacted} columns). Stateless.
 */
public enum ReportFormat {
    TABLE("text/plain; charset=utf-8"), CSV("text/csv; charset=utf-8"), JSON("application/json");

    private static final String[] HEADER = {"key", "requests", "prompt_tokens", "completion_tokens",
        "cached_tokens", "reasoning_tokens", "batch_tokens", "metered_cost_usd", "ptu_cost_usd", "cost_usd",
        "batch_discount_usd", "blocked", "redacted", "cache_hits", "saved_usd"};
    private static final String[] SAFETY_HEADER = {"key", "check", "blocked", "redacted"};

    private final String contentType;

    ReportFormat(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    public static ReportFormat parse(String text) {
        for (ReportFormat f : values()) if (ConfigNode.kebab(f).equals(text.toLowerCase(Locale.ROOT))) return f;
        throw new IllegalArgumentException("format must be one of table, csv, json; was '" + text + "'");
    }

    /** USD with all nine decimals of nano-USD: exact, so the rows visibly add up to the total. */
    public static String usd(long nanos) {
        return BigDecimal.valueOf(nanos, 9).toPlainString();
    }

    public String write(ChargebackReport report) {
        return switch (this) {
            case TABLE -> table(report);
            case CSV -> csv(report);
            case JSON -> json(report);
        };
    }

    private static List<String[]> cells(ChargebackReport report) {
        List<String[]> out = new ArrayList<>();
        for (ChargebackReport.Row r : report.rows()) out.add(cells(r));
        out.add(cells(report.total()));
        return out;
    }

    private static String[] cells(ChargebackReport.Row r) {
        return new String[] {r.key(), Long.toString(r.requests()), Long.toString(r.promptTokens()),
            Long.toString(r.completionTokens()), Long.toString(r.cachedTokens()), Long.toString(r.reasoningTokens()),
            Long.toString(r.batchTokens()), usd(r.meteredCostNanos()), usd(r.ptuCostNanos()), usd(r.costNanos()),
            usd(r.batchDiscountNanos()), Long.toString(r.blockedRequests()), Long.toString(r.redactedRequests()),
            Long.toString(r.cacheHits()), usd(r.savedNanos())};
    }

    private static String table(ChargebackReport report) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        rows.addAll(cells(report));
        StringBuilder sb = new StringBuilder("usage " + report.period() + " by " + ConfigNode.kebab(report.by()) + "\n");
        aligned(sb, rows, true);
        if (report.safety().isEmpty()) return sb.toString();
        List<String[]> safety = new ArrayList<>();
        safety.add(SAFETY_HEADER);
        for (SafetyTotals s : report.safety()) {
            safety.add(new String[] {s.key(), s.check(), Long.toString(s.blocked()), Long.toString(s.redacted())});
        }
        sb.append("\nsafety checks that acted, by ").append(ConfigNode.kebab(report.by())).append(" and check\n");
        aligned(sb, safety, false);
        return sb.toString();
    }

    /** Writes {@code rows} (the first is the header) in aligned columns; {@code totalLast} rules off the last row. */
    private static void aligned(StringBuilder sb, List<String[]> rows, boolean totalLast) {
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) for (int i = 0; i < row.length; i++) width[i] = Math.max(width[i], row[i].length());
        for (int n = 0; n < rows.size(); n++) {
            if (totalLast && n == rows.size() - 1) sb.append("-".repeat(sum(width) + 2 * (width.length - 1))).append('\n');
            String[] row = rows.get(n);
            for (int i = 0; i < row.length; i++) {
                String cell = i == 0 ? String.format("%-" + width[i] + "s", row[i]) : String.format("%" + width[i] + "s", row[i]);
                sb.append(cell).append(i < row.length - 1 ? "  " : "\n");
            }
        }
    }

    private static int sum(int[] a) {
        int s = 0;
        for (int v : a) s += v;
        return s;
    }

    private static String csv(ChargebackReport report) {
        StringBuilder sb = new StringBuilder(String.join(",", HEADER)).append('\n');
        for (String[] row : cells(report)) {
            row[0] = quote(row[0]);
            sb.append(String.join(",", row)).append('\n');
        }
        return sb.toString();
    }

    private static String quote(String s) {
        boolean plain = s.chars().noneMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r');
        return plain ? s : '"' + s.replace("\"", "\"\"") + '"';
    }

    private static String json(ChargebackReport report) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("period", report.period().toString()).put("by", ConfigNode.kebab(report.by()));
        ArrayNode rows = root.putArray("rows");
        for (ChargebackReport.Row r : report.rows()) rows.add(json(r));
        root.set("total", json(report.total()));
        ArrayNode safety = root.putArray("safety");
        for (SafetyTotals s : report.safety()) {
            safety.addObject().put("key", s.key()).put("check", s.check()).put("blocked", s.blocked())
                    .put("redacted", s.redacted());
        }
        return root.toPrettyString() + "\n";
    }

    private static ObjectNode json(ChargebackReport.Row r) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("key", r.key()).put("requests", r.requests()).put("prompt_tokens", r.promptTokens())
                .put("completion_tokens", r.completionTokens()).put("cached_tokens", r.cachedTokens())
                .put("reasoning_tokens", r.reasoningTokens()).put("batch_tokens", r.batchTokens())
                .put("metered_cost_usd", BigDecimal.valueOf(r.meteredCostNanos(), 9))
                .put("ptu_cost_usd", BigDecimal.valueOf(r.ptuCostNanos(), 9))
                .put("cost_usd", BigDecimal.valueOf(r.costNanos(), 9))
                .put("batch_discount_usd", BigDecimal.valueOf(r.batchDiscountNanos(), 9))
                .put("blocked", r.blockedRequests()).put("redacted", r.redactedRequests())
                .put("cache_hits", r.cacheHits()).put("saved_usd", BigDecimal.valueOf(r.savedNanos(), 9));
        return n;
    }
}
