package dev.spillway.gateway.ledger;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The spool's line format for a usage record: one compact JSON object. Stateless, thread-safe. */
public final class UsageRecordCodec {
    private UsageRecordCodec() {
    }

    /** Written field by field with a generator: one record per reply, so no tree is built for it. */
    public static byte[] encode(UsageRecord r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
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
        return out.toByteArray();
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

    public static UsageRecord decode(byte[] line, int offset, int length) throws IOException {
        JsonNode n = Json.MAPPER.readTree(line, offset, length);
        Optional<Duration> ttft = n.hasNonNull("ttft_ns")
                ? Optional.of(Duration.ofNanos(n.get("ttft_ns").asLong())) : Optional.empty();
        return new UsageRecord(text(n, "id"), Instant.parse(text(n, "at")), text(n, "app"), text(n, "team"),
                text(n, "user"), text(n, "key"), text(n, "deployment"), text(n, "backend"),
                text(n, "region"), text(n, "model"), n.path("in").asLong(), n.path("out").asLong(),
                n.path("cached").asLong(), n.path("reasoning").asLong(), n.path("estimated").asBoolean(),
                n.path("cost_nanos").asLong(), ttft, Duration.ofNanos(n.path("latency_ns").asLong()),
                n.path("status").asInt(), n.path("attempts").asInt(), n.path("streamed").asBoolean(),
                n.path("cache_hit").asBoolean(), text(n, "trace"), n.path("priority").asText("interactive"),
                n.path("batch_discount_nanos").asLong(), n.path("safety").asText(""), n.path("saved_nanos").asLong());
    }

    private static String text(JsonNode n, String field) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) throw new IOException("spool line lacks text field '" + field + "'");
        return v.asText();
    }
}
