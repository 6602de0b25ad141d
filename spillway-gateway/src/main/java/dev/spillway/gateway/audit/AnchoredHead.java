package dev.spillway.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import java.time.Instant;
import java.util.Objects;

/**
 * The audit chain's durable head (seq and hash of its newest record) as copied, at {@code at}, to a
 * place outside the audit directory ({@link HeadAnchors}). {@code audit verify} checks the chain
 * still holds that record with that hash: a cut tail or a chain rewritten from an earlier record
 * no longer does. Immutable value.
 */
public record AnchoredHead(long seq, String hash, Instant at) {
    public AnchoredHead {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(at, "at");
        if (seq < 0) throw new IllegalArgumentException("seq must be >= 0, was " + seq);
    }

    /** The form every anchor place stores: {@code {"seq":N,"hash":"...","at":"..."}}. */
    public String toJson() {
        return Json.MAPPER.createObjectNode().put("seq", seq).put("hash", hash).put("at", at.toString()).toString();
    }

    public static AnchoredHead fromJson(JsonNode n) {
        return new AnchoredHead(n.path("seq").asLong(), n.path("hash").asText(), Instant.parse(n.path("at").asText()));
    }
}
