package dev.spillway.gateway.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Batches and files as JSON: the OpenAI wire objects ({@code object: batch}, {@code object: file})
 * and the stored form of a batch, which is the wire object plus its owner. Stateless.
 */
public final class BatchJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private BatchJson() {
    }

    /** The Batch object as OpenAI returns it, with {@code counts} as its {@code request_counts}. */
    public static ObjectNode wire(BatchRecord b, BatchRecord.RequestCounts counts) {
        ObjectNode o = F.objectNode();
        o.put("id", b.id()).put("object", "batch").put("endpoint", b.endpoint());
        if (b.errors().isEmpty()) o.putNull("errors");
        else o.set("errors", errors(b.errors()));
        o.put("input_file_id", b.inputFileId()).put("completion_window", b.completionWindow())
                .put("status", b.status().wire());
        text(o, "output_file_id", b.outputFileId());
        text(o, "error_file_id", b.errorFileId());
        o.put("created_at", b.createdAt().getEpochSecond());
        for (BatchStatus s : BatchStatus.values()) {
            if (s == BatchStatus.VALIDATING) continue;
            Instant at = b.times().get(s);
            if (at == null) o.putNull(s.wire() + "_at");
            else o.put(s.wire() + "_at", at.getEpochSecond());
        }
        o.put("expires_at", b.expiresAt().getEpochSecond());
        o.set("request_counts", F.objectNode().put("total", counts.total()).put("completed", counts.completed())
                .put("failed", counts.failed()));
        o.set("metadata", parse(b.metadataJson()));
        return o;
    }

    /** The File object as OpenAI returns it. */
    public static ObjectNode wire(StoredFile f) {
        return F.objectNode().put("id", f.id()).put("object", "file").put("bytes", f.bytes())
                .put("created_at", f.createdAt().getEpochSecond()).put("filename", f.filename())
                .put("purpose", f.purpose()).put("status", "processed");
    }

    private static ObjectNode errors(List<BatchRecord.BatchError> errors) {
        ArrayNode data = F.arrayNode();
        for (BatchRecord.BatchError e : errors) {
            ObjectNode item = data.addObject().put("code", e.code()).put("message", e.message()).putNull("param");
            if (e.line().isPresent()) item.put("line", e.line().get());
            else item.putNull("line");
        }
        ObjectNode o = F.objectNode().put("object", "list");
        o.set("data", data);
        return o;
    }

    /** The stored form: the wire object (with its final counts, if any) plus the owner. */
    public static String stored(BatchRecord b) {
        ObjectNode o = wire(b, b.finalCounts().orElse(new BatchRecord.RequestCounts(0, 0, 0)));
        o.put("x_final_counts", b.finalCounts().isPresent());
        o.set("x_owner", owner(b.owner()));
        return o.toString();
    }

    /** The stored form of an owner (never a secret: the key's id and prefix, not the key). */
    public static ObjectNode owner(BatchOwner w) {
        ObjectNode owner = F.objectNode().put("key_name", w.keyName()).put("app", w.app())
                .put("team", w.team()).put("user", w.user()).put("key_prefix", w.keyPrefix())
                .put("via_jwt", w.viaJwt());
        text(owner, "key_id", w.keyId());
        ArrayNode roles = owner.putArray("roles");
        w.roles().stream().sorted().forEach(roles::add);
        return owner;
    }

    /** An owner from its stored form ({@link #owner(BatchOwner)}). */
    public static BatchOwner owner(JsonNode w) {
        Set<String> roles = new HashSet<>();
        w.path("roles").forEach(r -> roles.add(r.asText()));
        return new BatchOwner(w.path("key_name").asText(), w.path("app").asText(), w.path("team").asText(),
                w.path("user").asText(), w.path("key_prefix").asText(), optional(w, "key_id"), roles,
                w.path("via_jwt").asBoolean());
    }

    public static BatchRecord fromStored(String doc) {
        JsonNode o = parse(doc);
        BatchOwner owner = owner(o.path("x_owner"));
        Map<BatchStatus, Instant> times = new EnumMap<>(BatchStatus.class);
        for (BatchStatus s : BatchStatus.values()) {
            JsonNode at = o.path(s.wire() + "_at");
            if (at.isNumber()) times.put(s, Instant.ofEpochSecond(at.asLong()));
        }
        List<BatchRecord.BatchError> errors = new ArrayList<>();
        o.path("errors").path("data").forEach(e -> errors.add(new BatchRecord.BatchError(e.path("code").asText(),
                e.path("message").asText(), e.path("line").isInt() ? Optional.of(e.path("line").asInt()) : Optional.empty())));
        JsonNode c = o.path("request_counts");
        Optional<BatchRecord.RequestCounts> counts = o.path("x_final_counts").asBoolean()
                ? Optional.of(new BatchRecord.RequestCounts(c.path("total").asLong(), c.path("completed").asLong(),
                        c.path("failed").asLong())) : Optional.empty();
        return new BatchRecord(o.path("id").asText(), owner, o.path("endpoint").asText(),
                o.path("input_file_id").asText(), o.path("completion_window").asText(), o.path("metadata").toString(),
                BatchStatus.ofWire(o.path("status").asText()), Instant.ofEpochSecond(o.path("created_at").asLong()),
                Instant.ofEpochSecond(o.path("expires_at").asLong()), times, optional(o, "output_file_id"),
                optional(o, "error_file_id"), errors, counts);
    }

    private static void text(ObjectNode o, String field, Optional<String> value) {
        if (value.isPresent()) o.put(field, value.get());
        else o.putNull(field);
    }

    private static Optional<String> optional(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("stored batch JSON is unreadable", e);
        }
    }
}
