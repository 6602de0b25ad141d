package dev.spillway.gateway.portal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Json;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.config.BackendConfig;
import dev.spillway.gateway.config.DeploymentConfig;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.pipeline.FrontDoor;
import dev.spillway.gateway.server.ServedRoutes;
import dev.spillway.gateway.server.ServedRoutes.ServedRoute;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The OpenAPI 3.1 document of what this gateway serves ({@code GET /openapi.json}): one path per
 * route of {@link ServedRoutes}, the configured deployments as the {@code deployment-id} and
 * {@code model} values, the api-versions the gateway lets through, the error envelope and the
 * rate-limit headers. Request and response bodies model only the fields Spillway reads or writes
 * (the rest passes through, so every schema allows more). Built once per config; immutable.
 */
public final class OpenApiDocument {
    static final String REF = "#/components/";
    private final GatewayConfig config;

    private OpenApiDocument(GatewayConfig config) {
        this.config = config;
    }

    /** The document for {@code config}, as JSON text. */
    public static String of(GatewayConfig config, List<ServedRoute> routes) {
        OpenApiDocument d = new OpenApiDocument(config);
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("openapi", "3.1.0");
        root.putObject("info").put("title", "Spillway gateway").put("version", "1")
                .put("description", "Azure OpenAI and OpenAI compatible API served by this Spillway gateway. Send your"
                        + " app key as `api-key` (or `Authorization: Bearer`). Generated from the gateway's routes"
                        + " and configured deployments.");
        root.putArray("servers").addObject().put("url", "/").put("description", "this gateway");
        ArrayNode security = root.putArray("security");
        security.addObject().putArray("apiKey");
        security.addObject().putArray("bearer");
        ObjectNode paths = root.putObject("paths");
        for (ServedRoute r : routes) {
            ObjectNode item = paths.has(r.path()) ? (ObjectNode) paths.get(r.path()) : paths.putObject(r.path());
            item.set(r.method().toLowerCase(Locale.ROOT), d.operation(r));
        }
        paths.putObject("/openapi.json").set("get", d.self());
        root.set("components", OpenApiComponents.build(d.deployments(), d.apiVersions()));
        return root.toPrettyString();
    }

    /** The configured deployment names, sorted. */
    List<String> deployments() {
        return config.deployments().stream().map(DeploymentConfig::name).sorted().toList();
    }

    /** The api-versions the backends are configured with (examples; any of Azure's forms passes). */
    List<String> apiVersions() {
        TreeSet<String> versions = new TreeSet<>(java.util.Comparator.reverseOrder());
        versions.add(BackendConfig.DEFAULT_API_VERSION);
        config.backends().forEach(b -> versions.add(b.apiVersion()));
        return List.copyOf(versions);
    }

    private ObjectNode operation(ServedRoute r) {
        ObjectNode op = Json.MAPPER.createObjectNode();
        String style = r.door().map(OpenApiDocument::style).orElse(r.path().startsWith("/v1/") ? "OpenAI"
                : r.path().startsWith("/openai/v1/") ? "Azure v1" : "Azure");
        op.putArray("tags").add(r.kind() == ServedRoutes.Kind.MODEL ? r.operation().orElseThrow().shortName()
                : r.kind().name().toLowerCase(Locale.ROOT));
        op.put("operationId", operationId(r));
        op.put("summary", summary(r) + " (" + style + ")");
        ArrayNode params = op.putArray("parameters");
        if (r.path().contains("{deployment-id}")) params.addObject().put("$ref", REF + "parameters/DeploymentId");
        if (r.path().contains("{file-id}")) params.addObject().put("$ref", REF + "parameters/FileId");
        if (r.path().contains("{batch-id}")) params.addObject().put("$ref", REF + "parameters/BatchId");
        if (r.path().contains("{reply-to}")) params.addObject().put("$ref", REF + "parameters/ReplyTo");
        if (r.kind() != ServedRoutes.Kind.PROBE) {
            params.addObject().put("$ref", REF + "parameters/" + (r.requiresApiVersion() ? "ApiVersion" : "ApiVersionOptional"));
        }
        OpenApiBodies.describe(op, r, !r.path().contains("{deployment-id}"));
        if (r.kind() == ServedRoutes.Kind.PROBE) op.putArray("security");
        return op;
    }

    private ObjectNode self() {
        ObjectNode op = Json.MAPPER.createObjectNode();
        op.putArray("tags").add("portal");
        op.put("operationId", "getOpenApiDocument");
        op.put("summary", "This document");
        op.putArray("security");
        op.putObject("responses").putObject("200").put("description", "The OpenAPI 3.1 document")
                .putObject("content").putObject("application/json").putObject("schema").put("type", "object");
        return op;
    }

    private static String style(FrontDoor door) {
        return switch (door) {
            case AZURE -> "Azure";
            case AZURE_V1 -> "Azure v1";
            case OPENAI -> "OpenAI";
        };
    }

    private static String summary(ServedRoute r) {
        if (r.kind() == ServedRoutes.Kind.PROBE) return "Health probe " + r.path();
        if (r.operation().isPresent()) {
            return switch (r.operation().get()) {
                case CHAT_COMPLETIONS -> "Create a chat completion";
                case COMPLETIONS -> "Create a completion";
                case EMBEDDINGS -> "Create embeddings";
                case RESPONSES -> "Create a response";
                case MODELS -> "List the deployments you may call";
            };
        }
        if (r.kind() == ServedRoutes.Kind.QUEUE) {
            if (r.path().endsWith("/ack")) return "Acknowledge answers read from a reply queue";
            return r.method().equals("POST") ? "Publish a request to the message queue" : "Read the answers on a reply queue";
        }
        String what = r.kind() == ServedRoutes.Kind.FILES ? "file" : "batch";
        if (r.path().endsWith("/content")) return "Download a file's content";
        if (r.path().endsWith("/cancel")) return "Cancel a batch";
        if (r.path().endsWith("}")) return "Retrieve a " + what;
        return r.method().equals("POST") ? (r.kind() == ServedRoutes.Kind.FILES ? "Upload a file" : "Create a batch")
                : "List " + what + (what.equals("batch") ? "es" : "s");
    }

    /** A unique, readable id: {@code post_openai_deployments_deployment_id_chat_completions}. */
    static String operationId(ServedRoute r) {
        return (r.method() + r.path()).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("_$", "");
    }

    static boolean isModel(ServedRoute r, Operation op) {
        return r.operation().filter(op::equals).isPresent();
    }
}
