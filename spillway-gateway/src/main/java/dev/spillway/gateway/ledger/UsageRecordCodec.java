package dev.spillway.gateway.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The spool's line format for a usage record: one compact JSON object. Stateless, thread-safe. */
public final class UsageRecordCodec {
    private UsageRecordCodec() {
    }

    public static byte[] encode(UsageRecord r) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("id", r.requestId()).put("at", r.occurredAt().toString())
                .put("app", r.app()).put("team", r.team()).put("user", r.user()).put("key", r.keyPrefix())
                .put("deployment", r.deployment()).put("backend", r.backend()).put("region", r.region())
                .put("model", r.model()).put("in", r.promptTokens()).put("out", r.completionTokens())
                .put("cached", r.cachedTokens()).put("reasoning", r.reasoningTokens())
                .put("estimated", r.usageEstimated()).put("cost_nanos", r.costNanos())
                .put("latency_ns", r.latency().toNanos()).put("status", r.status())
                .put("attempts", r.attempts()).put("streamed", r.streamed()).put("cache_hit", r.cacheHit())
                .put("trace", r.traceId()).put("priority", r.priority())
                .put("batch_discount_nanos", r.batchDiscountNanos()).put("safety", r.safety())
                .put("saved_nanos", r.savedNanos());
        r.timeToFirstToken().ifPresent(t -> n.put("ttft_ns", t.toNanos()));
        try {
            return Json.MAPPER.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
