package dev.spillway.gateway.validate;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.wire.BufferBytes;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.access.AuthorizePolicy;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.pipeline.Chain;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.FrontDoor;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.Reply;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Request tier: parses the JSON body, finds the deployment it names, and checks the few fields
 * Spillway itself relies on ({@code model}, {@code messages}, {@code input}, {@code stream}).
 * Everything else is the backend's to judge, and unknown fields pass through. Shared; stateless.
 */
public final class ValidatePolicy implements Policy {
    private final GatewayConfig config;

    public ValidatePolicy(GatewayConfig config) {
        this.config = config;
    }

    @Override
    public Future<Reply> apply(Exchange exchange, Chain chain) {
        if (exchange.operation() == Operation.MODELS) return chain.proceed(exchange);
        if (exchange.door() == FrontDoor.AZURE && exchange.apiVersion().isEmpty()) {
            throw new SpillwayException.InvalidRequest("missing_api_version",
                    "The 'api-version' query parameter is required on /openai/deployments routes, e.g. ?api-version=2024-10-21.",
                    "api-version");
        }
        exchange.apiVersion().ifPresent(ValidatePolicy::checkApiVersion);
        ObjectNode body = parse(exchange.rawBody());
        exchange.body(body);
        if (exchange.door() != FrontDoor.AZURE) exchange.deployment(requiredText(body, "model"));
        if (config.deployment(exchange.deployment()).isEmpty()) {
            throw SpillwayException.NotFound.deployment(exchange.deployment(), config.deployments().stream()
                    .map(dev.spillway.gateway.config.DeploymentConfig::name)
                    .filter(d -> AuthorizePolicy.mayCall(exchange.caller(), d, config.access().jwt())).toList());
        }
        checkOperationFields(exchange.operation(), body);
        exchange.stream(flag(body, "stream"));
        // A Responses stream always ends with response.completed and its usage: nothing to add or strip.
        exchange.clientWantsUsage(exchange.operation() == Operation.RESPONSES
                || body.path("stream_options").path("include_usage").asBoolean(false));
        return chain.proceed(exchange);
    }

    /**
     * The api-version goes into the backend's URL: only Azure's shapes ({@code 2024-10-21},
     * {@code 2025-04-01-preview}, {@code preview}, {@code latest}) pass, so no {@code &}, {@code #},
     * {@code %}, {@code /}, {@code ..}, CR, LF or NUL can add parameters or split the request upstream.
     */
    private static void checkApiVersion(String version) {
        if (version.equals(lastValidApiVersion)) return;
        if (!API_VERSION.matcher(version).matches()) {
            throw new SpillwayException.InvalidRequest("invalid_api_version", "The 'api-version' must look like "
                    + "2024-10-21, 2025-04-01-preview, preview or latest.", "api-version");
        }
        lastValidApiVersion = version;
    }

    /** The last api-version that matched: clients send one version over and over, so most skip the regex. */
    private static volatile String lastValidApiVersion;

    /** The api-versions let through (published in {@code /openapi.json}). */
    public static final String API_VERSION_PATTERN = "[0-9]{4}-[0-9]{2}-[0-9]{2}(-[a-z]{1,16})?|[a-z][a-z0-9]{0,15}";
    private static final java.util.regex.Pattern API_VERSION = java.util.regex.Pattern.compile(API_VERSION_PATTERN);

    /** The request body as a JSON object, or the 400 that says why it is not one. */
    static ObjectNode parse(Buffer raw) {
        if (raw.length() == 0) {
            throw new SpillwayException.InvalidRequest("invalid_json", "The request body is empty; send a JSON object.", null);
        }
        BufferBytes bytes = BufferBytes.of(raw);
        int invalid = StrictUtf8.firstInvalid(bytes.array(), bytes.offset(), bytes.length());
        if (invalid >= 0) {
            throw new SpillwayException.InvalidRequest("invalid_json", "The request body is not valid UTF-8 (byte "
                    + invalid + "; overlong forms and surrogates are refused).", null);
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(bytes.array(), bytes.offset(), bytes.length());
        } catch (JacksonException e) {
            throw new SpillwayException.InvalidRequest("invalid_json",
                    "The request body is not valid JSON: " + e.getOriginalMessage(), null);
        } catch (java.io.IOException e) {
            throw new SpillwayException.InvalidRequest("invalid_json", "The request body could not be read as JSON.", null);
        }
        if (node instanceof ObjectNode object) return object;
        throw new SpillwayException.InvalidRequest("invalid_json", "The request body must be a JSON object.", null);
    }

    private static void checkOperationFields(Operation op, ObjectNode body) {
        switch (op) {
            case CHAT_COMPLETIONS -> {
                JsonNode messages = body.get("messages");
                if (messages == null || !messages.isArray() || messages.isEmpty()) {
                    throw new SpillwayException.InvalidRequest("invalid_request_error",
                            "'messages' is required and must be a non-empty array.", "messages");
                }
            }
            case EMBEDDINGS -> {
                JsonNode input = body.get("input");
                if (input == null || !(input.isTextual() || input.isArray())) {
                    throw new SpillwayException.InvalidRequest("invalid_request_error",
                            "'input' is required and must be a string or an array.", "input");
                }
            }
            case RESPONSES -> {
                JsonNode input = body.get("input");
                if (input != null && !input.isNull() && !(input.isTextual() || input.isArray())) {
                    throw new SpillwayException.InvalidRequest("invalid_request_error",
                            "'input' must be a string or an array of input items.", "input");
                }
            }
            case COMPLETIONS, MODELS -> {
                // the backend judges prompts; models has no body
            }
        }
    }

    private static String requiredText(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new SpillwayException.InvalidRequest("invalid_request_error",
                    "'" + field + "' is required and must name a deployment.", field);
        }
        return v.asText();
    }

    private static boolean flag(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return false;
        if (!v.isBoolean()) {
            throw new SpillwayException.InvalidRequest("invalid_request_error", "'" + field + "' must be true or false.", field);
        }
        return v.asBoolean();
    }
}
