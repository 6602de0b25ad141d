package dev.spillway.simulator.embeddings;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.error.SpillwayException.InvalidRequest;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.FaultKind;
import dev.spillway.simulator.http.OperationHandler;
import dev.spillway.simulator.http.SimExchange;
import dev.spillway.simulator.limits.Admission;
import dev.spillway.simulator.tokens.TokenCounter;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Answers {@code embeddings} for one embeddings deployment (azure-api.md 1.7): one deterministic,
 * L2-normalized vector per input, as floats or base64 little-endian float32. Admission estimate:
 * ceil(characters / 4) per input. Thread-safe; one per deployment.
 */
public final class EmbeddingsResponder implements OperationHandler {
    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_INPUTS = 2048;

    private final DeploymentConfig deployment;
    private final TokenCounter counter;
    private final EmbeddingGenerator generator;
    private final boolean dimensionsAllowed;

    public EmbeddingsResponder(DeploymentConfig deployment, long seed) {
        this.deployment = deployment;
        this.counter = TokenCounter.forModel(deployment.model());
        this.generator = new EmbeddingGenerator(seed);
        this.dimensionsAllowed = deployment.model().toLowerCase(Locale.ROOT).contains("embedding-3");
    }

    @Override
    public void handle(SimExchange ex, JsonNode body) {
        List<String> inputs = inputs(body.path("input"));
        int dimensions = dimensions(body.path("dimensions"));
        boolean base64 = encoding(body.path("encoding_format"));
        long estimate = 0;
        for (String s : inputs) estimate += (s.length() + 3) / 4;
        Optional<Admission> admission = ex.admit(Math.max(1, estimate));
        if (admission.isEmpty()) return;
        int tokens = 0;
        for (String s : inputs) tokens += counter.count(s);
        ex.settleWhenDone(admission.get(), tokens);
        Buffer response = body(inputs, dimensions, base64, tokens);
        ex.after(ex.latency().timeToFirstToken(), () -> send(ex, response));
    }

    private static void send(SimExchange ex, Buffer response) {
        Optional<FaultKind> fault = ex.pendingFault();
        if (fault.equals(Optional.of(FaultKind.STALL))) {
            ex.stall("application/json");
        } else if (fault.equals(Optional.of(FaultKind.DISCONNECT_MID_STREAM))) {
            ex.response().putHeader("content-type", "application/json")
                    .putHeader("content-length", Integer.toString(response.length()))
                    .write(response.slice(0, response.length() / 2));
            ex.disconnect();
        } else {
            ex.send(200, response);
        }
    }

    private static List<String> inputs(JsonNode input) {
        List<String> out = new ArrayList<>();
        if (input.isTextual()) {
            out.add(input.asText());
        } else if (input.isArray() && !input.isEmpty() && input.size() <= MAX_INPUTS) {
            for (JsonNode item : input) {
                if (item.isTextual()) {
                    out.add(item.asText());
                } else if (item.isArray() || item.isIntegralNumber()) {
                    out.add(item.toString()); // token ids: embedded by their text, deterministic all the same
                } else {
                    throw invalidInput();
                }
            }
        } else {
            throw invalidInput();
        }
        return out;
    }

    private static InvalidRequest invalidInput() {
        return new InvalidRequest("invalid_request_error",
                "'input' must be a string or an array of 1 to " + MAX_INPUTS + " strings (or token arrays).", "input");
    }

    private int dimensions(JsonNode v) {
        if (v.isMissingNode() || v.isNull()) return deployment.embeddingDimensions();
        if (!dimensionsAllowed) {
            throw new InvalidRequest("invalid_request_error", "This model does not support specifying dimensions.",
                    "dimensions");
        }
        if (!v.isIntegralNumber() || v.asInt() < 1 || v.asInt() > deployment.embeddingDimensions()) {
            throw new InvalidRequest("invalid_request_error", "'dimensions' must be an integer between 1 and "
                    + deployment.embeddingDimensions() + ".", "dimensions");
        }
        return v.asInt();
    }

    private static boolean encoding(JsonNode v) {
        if (v.isMissingNode() || v.isNull() || v.asText().equals("float")) return false;
        if (v.asText().equals("base64")) return true;
        throw new InvalidRequest("invalid_request_error", "'encoding_format' must be float or base64.",
                "encoding_format");
    }

    private Buffer body(List<String> inputs, int dimensions, boolean base64, int tokens) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + inputs.size() * dimensions * 12);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("data");
            for (int i = 0; i < inputs.size(); i++) {
                float[] vector = generator.embed(inputs.get(i), dimensions);
                g.writeStartObject();
                g.writeFieldName("embedding");
                if (base64) {
                    g.writeString(EmbeddingGenerator.base64(vector));
                } else {
                    g.writeStartArray();
                    for (float f : vector) g.writeNumber(f);
                    g.writeEndArray();
                }
                g.writeNumberField("index", i);
                g.writeStringField("object", "embedding");
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("model", deployment.model());
            g.writeStringField("object", "list");
            g.writeObjectFieldStart("usage");
            g.writeNumberField("prompt_tokens", tokens);
            g.writeNumberField("total_tokens", tokens);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Buffer.buffer(out.toByteArray());
    }
}
