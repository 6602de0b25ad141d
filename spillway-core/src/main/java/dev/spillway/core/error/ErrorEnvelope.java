package dev.spillway.core.error;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes the OpenAI/Azure error body {@code {"error":{"code","message","param","type"}}} (plus
 * Azure's {@code status} and {@code innererror} for a content-filter error); the one
 * place error JSON is formatted. {@code code} is always a string, as Azure sends it. Thread-safe.
 */
public final class ErrorEnvelope {
    private static final JsonFactory JSON = dev.spillway.core.wire.Json.MAPPER.getFactory();

    private ErrorEnvelope() {
    }

    public static byte[] of(SpillwayException e) {
        return of(e.code(), e.getMessage(), e.type(), e.param().orElse(null), e.status(), e.innerError());
    }

    public static byte[] of(String code, String message, String type, String param) {
        return of(code, message, type, param, 0, java.util.Optional.empty());
    }

    /** With Azure's {@code status} and {@code innererror} fields when {@code inner} is present. */
    private static byte[] of(String code, String message, String type, String param, int status,
            java.util.Optional<com.fasterxml.jackson.databind.JsonNode> inner) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeStringField("code", code);
            g.writeStringField("message", message);
            g.writeStringField("param", param);
            g.writeStringField("type", type);
            if (inner.isPresent()) {
                g.writeNumberField("status", status);
                g.writeFieldName("innererror");
                g.writeTree(inner.get());
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
