package dev.spillway.gateway.portal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.validate.ValidatePolicy;
import java.util.List;

/**
 * The reusable parts of {@code /openapi.json}: the key schemes, parameters, rate-limit headers, the
 * error envelope and the request and response schemas. Schemas name what Spillway reads or writes
 * and leave {@code additionalProperties} open: the rest passes through to the backend. Stateless.
 */
final class OpenApiComponents {
    private OpenApiComponents() {
    }

    static ObjectNode build(List<String> deployments, List<String> apiVersions) {
        ObjectNode c = Json.MAPPER.createObjectNode();
        ObjectNode schemes = c.putObject("securitySchemes");
        schemes.putObject("apiKey").put("type", "apiKey").put("in", "header").put("name", "api-key")
                .put("description", "Your app key (sk-spw-...), as Azure OpenAI's api-key header");
        schemes.putObject("bearer").put("type", "http").put("scheme", "bearer")
                .put("description", "Your app key, or a JWT when the gateway trusts an issuer");
        parameters(c.putObject("parameters"), deployments, apiVersions);
        headers(c.putObject("headers"));
        schemas(c.putObject("schemas"), deployments);
        responses(c.putObject("responses"));
        return c;
    }

    private static void parameters(ObjectNode p, List<String> deployments, List<String> apiVersions) {
        ObjectNode deployment = p.putObject("DeploymentId").put("name", "deployment-id").put("in", "path")
                .put("required", true).put("description", "A deployment configured on this gateway");
        deployment.putObject("schema").put("$ref", OpenApiDocument.REF + "schemas/Deployment");
        apiVersion(p.putObject("ApiVersion"), true, apiVersions);
        apiVersion(p.putObject("ApiVersionOptional"), false, apiVersions);
        path(p.putObject("FileId"), "file-id", "A file id returned by the upload");
        path(p.putObject("BatchId"), "batch-id", "A batch id returned by the create call");
        path(p.putObject("ReplyTo"), "reply-to", "One of your app's reply queues: 1 to 128 letters, digits, '.', '_', ':' or '-'");
    }

    private static void apiVersion(ObjectNode p, boolean required, List<String> versions) {
        p.put("name", "api-version").put("in", "query").put("required", required)
                .put("description", "Azure's API version; passed to the backend. Any version of Azure's form is"
                        + " let through; the backends here are configured with " + String.join(", ", versions) + ".");
        ObjectNode s = p.putObject("schema").put("type", "string").put("pattern", "^(" + ValidatePolicy.API_VERSION_PATTERN + ")$");
        ArrayNode examples = s.putArray("examples");
        versions.forEach(examples::add);
        examples.add("2025-04-01-preview");
    }

    private static void path(ObjectNode p, String name, String description) {
        p.put("name", name).put("in", "path").put("required", true).put("description", description)
                .putObject("schema").put("type", "string");
    }

    private static void headers(ObjectNode h) {
        for (String unit : List.of("requests", "tokens")) {
            header(h, "x-ratelimit-limit-" + unit, "integer", "Capacity of the tightest " + unit + " limit (yours or the backend's)");
            header(h, "x-ratelimit-remaining-" + unit, "integer", "What is left of it");
            header(h, "x-ratelimit-reset-" + unit, "integer", "Seconds until its window resets");
        }
        header(h, "retry-after", "integer", "Seconds to wait before retrying");
        header(h, "retry-after-ms", "integer", "Milliseconds to wait before retrying");
        header(h, "x-spillway-request-id", "string", "The request's id in the gateway's ledger and audit");
    }

    private static void header(ObjectNode h, String name, String type, String description) {
        h.putObject(name).put("description", description).putObject("schema").put("type", type);
    }

    private static void schemas(ObjectNode s, List<String> deployments) {
        ObjectNode deployment = s.putObject("Deployment").put("type", "string")
                .put("description", "A deployment name configured on this gateway");
        if (!deployments.isEmpty()) deployments.forEach(deployment.putArray("enum")::add);
        ObjectNode error = object(s, "Error", "The error envelope of every refusal");
        error.putArray("required").add("error");
        ObjectNode inner = error.putObject("properties").putObject("error").put("type", "object");
        inner.putArray("required").add("code").add("message");
        ObjectNode ip = inner.putObject("properties");
        ip.putObject("code").putArray("type").add("string").add("null");
        ip.putObject("message").put("type", "string");
        ip.putObject("param").putArray("type").add("string").add("null");
        ip.putObject("type").putArray("type").add("string").add("null");
        OpenApiSchemas.requests(s);
        OpenApiSchemas.replies(s);
    }

    static ObjectNode object(ObjectNode schemas, String name, String description) {
        return schemas.putObject(name).put("type", "object").put("description", description);
    }

    private static void responses(ObjectNode r) {
        error(r, "BadRequest", "Invalid request: bad JSON, missing field, unknown deployment, bad api-version");
        error(r, "Unauthorized", "No key, or a key that is unknown, revoked or expired");
        error(r, "Forbidden", "Deployment not allowed for the key, or a day/month quota or budget used up");
        error(r, "NotFound", "No such route, deployment, file or batch");
        ObjectNode limited = error(r, "TooManyRequests", "A requests/min or tokens/min limit (yours or the backend's)");
        for (String h : List.of("retry-after", "retry-after-ms", "x-ratelimit-remaining-requests",
                "x-ratelimit-remaining-tokens")) {
            ((ObjectNode) limited.get("headers")).putObject(h).put("$ref", OpenApiDocument.REF + "headers/" + h);
        }
        error(r, "Unavailable", "No healthy backend, or a limit store that fails closed is down");
        error(r, "Timeout", "The backend did not answer in time");
    }

    private static ObjectNode error(ObjectNode r, String name, String description) {
        ObjectNode e = r.putObject(name).put("description", description);
        e.putObject("headers").putObject("x-spillway-request-id").put("$ref", OpenApiDocument.REF + "headers/x-spillway-request-id");
        e.putObject("content").putObject("application/json").putObject("schema").put("$ref", OpenApiDocument.REF + "schemas/Error");
        return e;
    }
}
