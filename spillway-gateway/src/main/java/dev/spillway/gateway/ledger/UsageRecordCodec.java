package dev.spillway.gateway.ledger;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.spillway.core.wire.Json;
import dev.spillway.core.wire.LineBytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The spool's line format for a usage record: one compact JSON object. Stateless, thread-safe. */
public final class UsageRecordCodec {
    private UsageRecordCodec() {
    }

    /**
     * Written field by field with a generator: one record per reply, so no tree is built for it,
     * and the line is taken from the generator's buffer in one exact-size copy ({@link LineBytes}).
     */
    public static byte[] encode(UsageRecord r) {
        LineBytes out = new LineBytes();
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", r.requestId());
            g.writeStringField("at", r.occurredAt().toString());
            g.writeStringField("app", r.app());
            g.writeStringField("team", r.team());
            g.writeStringField("user", r.user());
            g.writeStringField("key", r.keyPrefix());
            g.writeStringField("deployment", r.deployment());
            g.writeStringField("backend", r.backend());
            g.writeStringField("region", r.region());
            g.writeStringField("model", r.model());
            writeCounts(g, r);
            g.writeStringField("trace", r.traceId());
            g.writeStringField("priority", r.priority());
            g.writeNumberField("batch_discount_nanos", r.batchDiscountNanos());
            g.writeStringField("safety", r.safety());
            g.writeNumberField("saved_nanos", r.savedNanos());
            if (r.timeToFirstToken().isPresent()) g.writeNumberField("ttft_ns", r.timeToFirstToken().get().toNanos());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.bytes();
    }

    private static void writeCounts(JsonGenerator g, UsageRecord r) throws IOException {
        g.writeNumberField("in", r.promptTokens());
        g.writeNumberField("out", r.completionTokens());
        g.writeNumberField("cached", r.cachedTokens());
        g.writeNumberField("reasoning", r.reasoningTokens());
        g.writeBooleanField("estimated", r.usageEstimated());
        g.writeNumberField("cost_nanos", r.costNanos());
        g.writeNumberField("latency_ns", r.latency().toNanos());
        g.writeNumberField("status", r.status());
        g.writeNumberField("attempts", r.attempts());
        g.writeBooleanField("streamed", r.streamed());
        g.writeBooleanField("cache_hit", r.cacheHit());
    }

    /**
     * Read field by field with the streaming parser, as {@link #encode} writes it: the drainer
     * decodes every spooled record, so no tree is built for it. It reads what a tree would: the
     * last of a repeated key wins, numbers and flags are coerced as {@code asLong}/{@code asBoolean}
     * coerce them, missing counts are 0, and a missing or non-text text field is refused by name,
     * in the order the fields are written.
     */
    public static UsageRecord decode(byte[] line, int offset, int length) throws IOException {
        try (JsonParser p = Json.MAPPER.createParser(line, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw lacks("id");
            Fields f = new Fields();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                f.read(name, p);
                p.skipChildren();
            }
            if (p.nextToken() != null) throw new IOException("spool line has content after its object");
            return f.record();
        }
    }

    /** One line's values as the parser meets them; missing ones keep a tree's defaults. */
    private static final class Fields {
        private final String[] texts = new String[TEXT_FIELDS.length];
        private long in, out, cached, reasoning, costNanos, latencyNanos, status, attempts, discount, saved;
        private boolean estimated, streamed, cacheHit;
        private String priority = "interactive";
        private String safety = "";
        private Optional<Duration> ttft = Optional.empty();

        void read(String name, JsonParser p) throws IOException {
            switch (name) {
                case "in" -> in = p.getValueAsLong();
                case "out" -> out = p.getValueAsLong();
                case "cached" -> cached = p.getValueAsLong();
                case "reasoning" -> reasoning = p.getValueAsLong();
                case "cost_nanos" -> costNanos = p.getValueAsLong();
                case "latency_ns" -> latencyNanos = p.getValueAsLong();
                case "status" -> status = p.getValueAsLong();
                case "attempts" -> attempts = p.getValueAsLong();
                case "batch_discount_nanos" -> discount = p.getValueAsLong();
                case "saved_nanos" -> saved = p.getValueAsLong();
                case "estimated" -> estimated = p.getValueAsBoolean();
                case "streamed" -> streamed = p.getValueAsBoolean();
                case "cache_hit" -> cacheHit = p.getValueAsBoolean();
                case "priority" -> priority = scalarText(p, "interactive");
                case "safety" -> safety = scalarText(p, "");
                case "ttft_ns" -> ttft = p.currentToken() == JsonToken.VALUE_NULL ? Optional.empty()
                        : Optional.of(Duration.ofNanos(p.getValueAsLong()));
                default -> {
                    int i = textField(name);
                    if (i >= 0) texts[i] = p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : null;
                }
            }
        }

        UsageRecord record() throws IOException {
            String id = text(0);
            Instant at = instant(text(1));
            return new UsageRecord(id, at, text(2), text(3), text(4), text(5), text(6), text(7), text(8), text(9),
                    in, out, cached, reasoning, estimated, costNanos, ttft, Duration.ofNanos(latencyNanos),
                    (int) status, (int) attempts, streamed, cacheHit, text(10), priority, discount, safety, saved);
        }

        private String text(int i) throws IOException {
            if (texts[i] == null) throw lacks(TEXT_FIELDS[i]);
            return texts[i];
        }
    }

    /** The text fields, in the order a missing one is reported (the order they are written). */
    private static final String[] TEXT_FIELDS = {"id", "at", "app", "team", "user", "key", "deployment", "backend",
        "region", "model", "trace"};

    private static int textField(String name) {
        for (int i = 0; i < TEXT_FIELDS.length; i++) if (TEXT_FIELDS[i].equals(name)) return i;
        return -1;
    }

    /** A scalar's text as {@code asText(dflt)} gives it: null gives the default, a nested value "". */
    private static String scalarText(JsonParser p, String dflt) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) return dflt;
        return t.isScalarValue() ? p.getText() : "";
    }

    /**
     * {@link Instant#toString}'s own shape ({@code 2026-12-07T12:00:00.123Z}: years 0000-9999, no
     * fraction or 3, 6 or 9 digits), read without a formatter, which allocates about 1.5 KB per
     * call; anything else, or a field out of its range, goes to {@link Instant#parse} and gets its
     * answer or its exception.
     */
    static Instant instant(String s) {
        int n = s.length();
        int digits = n - 21; // of the fraction, after its dot
        if (n < 20 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':'
                || (n > 20 && (s.charAt(19) != '.' || digits % 3 != 0 || digits == 0 || digits > 9))) {
            return Instant.parse(s);
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        int fraction = n > 20 ? digits(s, 20, n - 1) : 0;
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59 || fraction < 0 || day > java.time.Month.of(month).length(java.time.Year.isLeap(year))) {
            return Instant.parse(s);
        }
        long nanos = fraction;
        for (int k = digits; k < 9; k++) nanos *= 10;
        long days = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal number in {@code s[from, to)}, or -1 if a character there is not a digit. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static IOException lacks(String field) {
        return new IOException("spool line lacks text field '" + field + "'");
    }
}
