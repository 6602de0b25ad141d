package dev.spillway.core.error;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes the OpenAI/Azure error body {@code {"error":{"code","message","param","type"}}}; the one
 * place error JSON is formatted. {@code code} is always a string, as Azure sends it. Thread-safe.
 */
public final class ErrorEnvelope {
    private static final JsonFactory JSON = new JsonFactory();

    private ErrorEnvelope() {
    }

    public static byte[] of(SpillwayException e) {
        return of(e.code(), e.getMessage(), e.type(), e.param().orElse(null));
    }

    public static byte[] of(String code, String message, String type, String param) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeStringField("code", code);
            g.writeStringField("message", message);
            g.writeStringField("param", param);
            g.writeStringField("type", type);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
