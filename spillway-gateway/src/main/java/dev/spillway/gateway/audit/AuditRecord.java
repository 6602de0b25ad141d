package dev.spillway.gateway.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.spillway.core.wire.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

/**
 * One audited request: who, what, how it ended, which safety checks fired ({@code side:check:rule:action},
 * never the matched text), and (mode full) where its redacted bodies are.
 * The chain fields ({@code seq}, {@code prev}, {@code hash}) are added when it is written.
 * Immutable value.
 */
public record AuditRecord(String requestId, Instant occurredAt, String app, String team, String user,
        String keyPrefix, String method, String path, String deployment, int status, AuditMode mode,
        String traceId, long latencyMicros, Optional<BodyRef> requestBody, Optional<BodyRef> responseBody,
        java.util.List<String> safety) {

    public AuditRecord {
        safety = java.util.List.copyOf(safety);
    }

    /** A record no safety check fired on. */
    public AuditRecord(String requestId, Instant occurredAt, String app, String team, String user,
            String keyPrefix, String method, String path, String deployment, int status, AuditMode mode,
            String traceId, long latencyMicros, Optional<BodyRef> requestBody, Optional<BodyRef> responseBody) {
        this(requestId, occurredAt, app, team, user, keyPrefix, method, path, deployment, status, mode, traceId,
                latencyMicros, requestBody, responseBody, java.util.List.of());
    }

    /**
     * The record's fields as written to the chain (before {@code seq}, {@code prev}, {@code hash}),
     * as a new node: {@link #writeFields} is their one description.
     */
    public ObjectNode toJson() {
        try (TokenBuffer fields = new TokenBuffer(Json.MAPPER, false)) {
            fields.writeStartObject();
            writeFields(fields);
            fields.writeEndObject();
            return Json.MAPPER.readTree(fields.asParser());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a token buffer does no I/O
        }
    }

    /**
     * Writes the record's fields, in their order, into the object {@code g} has open: the chain
     * writes each record this way instead of building a tree.
     */
    void writeFields(JsonGenerator g) throws IOException {
        g.writeStringField("id", requestId);
        g.writeStringField("at", occurredAt.toString());
        g.writeStringField("app", app);
        g.writeStringField("team", team);
        g.writeStringField("user", user);
        g.writeStringField("key", keyPrefix);
        g.writeStringField("method", method);
        g.writeStringField("path", path);
        g.writeStringField("deployment", deployment);
        g.writeNumberField("status", status);
        g.writeStringField("mode", mode.name().toLowerCase());
        g.writeStringField("trace", traceId);
        g.writeNumberField("latency_us", latencyMicros);
        if (requestBody.isPresent()) writeBody(g, "request_body", requestBody.get());
        if (responseBody.isPresent()) writeBody(g, "response_body", responseBody.get());
        if (!safety.isEmpty()) {
            g.writeArrayFieldStart("safety");
            for (String s : safety) g.writeString(s);
            g.writeEndArray();
        }
    }

    private static void writeBody(JsonGenerator g, String field, BodyRef b) throws IOException {
        g.writeObjectFieldStart(field);
        g.writeStringField("file", b.file());
        if (b.offset() >= 0) g.writeNumberField("offset", b.offset());
        g.writeNumberField("bytes_seen", b.bytesSeen());
        g.writeNumberField("bytes_stored", b.bytesStored());
        g.writeBooleanField("truncated", b.truncated());
        g.writeBooleanField("incomplete", b.incomplete());
        g.writeStringField("sha256", b.sha256());
        if (b.sealed().isPresent()) {
            g.writeObjectFieldStart("encryption");
            g.writeStringField("alg", BodyCipher.ALGORITHM);
            g.writeStringField("key", b.sealed().get().keyId());
            g.writeStringField("nonce", b.sealed().get().nonce());
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
