package dev.spillway.simulator.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.config.Secret;
import dev.spillway.core.wire.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Azure's identity endpoints and Key Vault's secrets API, as far as the gateway uses them: the
 * instance metadata endpoint ({@code GET /metadata/identity/oauth2/token}, header
 * {@code Metadata: true}), the App Service / Container Apps identity endpoint
 * ({@code GET /msi/token}, header {@code X-IDENTITY-HEADER}), Entra's token endpoint for workload
 * identity ({@code POST /{tenant}/oauth2/v2.0/token} with a federated client assertion) and
 * {@code GET/PUT/DELETE /secrets/{name}} with a token for {@code https://vault.azure.net}.
 * Error bodies follow each service's own shape. Thread-safe; one per simulator.
 */
public final class AzureEndpoints {
    public static final String COGNITIVE_SERVICES = "https://cognitiveservices.azure.com";
    public static final String KEY_VAULT = "https://vault.azure.net";
    private static final String IMDS_PATH = "/metadata/identity/oauth2/token";
    private static final String IDENTITY_PATH = "/msi/token";
    private static final Pattern ENTRA = Pattern.compile("/[0-9A-Za-z.-]+/oauth2/v2\\.0/token");
    private static final Pattern SECRET = Pattern.compile("/secrets/([0-9A-Za-z-]{1,127})(?:/([0-9a-f]+))?");
    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private final AzureConfig config;
    private final TokenIssuer issuer;
    private final InstantSource clock;
    private final SecretStore vault;

    public AzureEndpoints(AzureConfig config, InstantSource clock, long seed) {
        this.config = config;
        this.clock = clock;
        this.issuer = new TokenIssuer(clock, config.tokenLifetime(), seed);
        this.vault = new SecretStore(config.secrets(), clock, seed);
    }

    public boolean owns(String path) {
        return path.equals(IMDS_PATH) || path.equals(IDENTITY_PATH) || ENTRA.matcher(path).matches()
                || SECRET.matcher(path).matches();
    }

    /** Whether deployments accept only Entra tokens (local auth disabled). */
    public boolean requiresToken() {
        return config.requireToken();
    }

    /** Whether a deployment call carries a live token for Azure OpenAI's audience. */
    public boolean admits(HttpServerRequest req) {
        return issuer.valid(bearer(req), COGNITIVE_SERVICES);
    }

    public void handle(HttpServerRequest req) {
        String path = req.path();
        if (path.equals(IMDS_PATH)) imds(req);
        else if (path.equals(IDENTITY_PATH)) identityEndpoint(req);
        else if (ENTRA.matcher(path).matches()) req.body().onSuccess(body -> entra(req, body));
        else req.body().onSuccess(body -> secret(req, body));
    }

    /** learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token#get-a-token-using-http */
    private void imds(HttpServerRequest req) {
        if (!"true".equalsIgnoreCase(req.getHeader("metadata"))) {
            oauthError(req, 400, "invalid_request", "Required metadata header not specified");
        } else if (req.getParam("api-version") == null || req.getParam("resource") == null) {
            oauthError(req, 400, "invalid_request", "Required query variable 'api-version' or 'resource' is missing");
        } else {
            String resource = req.getParam("resource");
            ObjectNode t = token(resource).put("resource", resource);
            t.put("expires_in", String.valueOf(issuer.lifetime().toSeconds())); // IMDS sends strings
            json(req, 200, t);
        }
    }

    /** learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference (2019-08-01) */
    private void identityEndpoint(HttpServerRequest req) {
        if (config.identityHeader().isEmpty() || !same(config.identityHeader().get(), req.getHeader("x-identity-header"))) {
            oauthError(req, 401, "unauthorized_client", "X-IDENTITY-HEADER is missing or does not match");
        } else if (req.getParam("resource") == null) {
            oauthError(req, 400, "invalid_request", "Required query variable 'resource' is missing");
        } else {
            String resource = req.getParam("resource");
            long on = clock.millis() / 1000 + issuer.lifetime().toSeconds();
            json(req, 200, token(resource).put("resource", resource).put("expires_on", String.valueOf(on)));
        }
    }

    /** Workload identity: a client-credentials grant whose client assertion is the federated token. */
    private void entra(HttpServerRequest req, Buffer body) {
        Map<String, String> form = form(body.toString());
        if (req.method() != HttpMethod.POST || !"client_credentials".equals(form.get("grant_type"))) {
            oauthError(req, 400, "unsupported_grant_type", "AADSTS70003: The grant type is not supported here.");
        } else if (!ASSERTION_TYPE.equals(form.get("client_assertion_type")) || config.federatedToken().isEmpty()
                || !same(config.federatedToken().get(), form.get("client_assertion"))) {
            oauthError(req, 401, "invalid_client", "AADSTS700213: No matching federated identity record found.");
        } else if (form.get("scope") == null || !form.get("scope").endsWith("/.default")) {
            oauthError(req, 400, "invalid_scope", "AADSTS1002012: The scope must end in /.default.");
        } else {
            json(req, 200, token(form.get("scope")).put("expires_in", issuer.lifetime().toSeconds()).put("ext_expires_in",
                    issuer.lifetime().toSeconds()));
        }
    }

    /** learn.microsoft.com/rest/api/keyvault/secrets/get-secret, set-secret, delete-secret */
    private void secret(HttpServerRequest req, Buffer body) {
        Matcher m = SECRET.matcher(req.path());
        m.matches();
        String token = bearer(req);
        if (req.getParam("api-version") == null) {
            vaultError(req, 400, "BadParameter", "The 'api-version' query parameter is missing.");
        } else if (!issuer.valid(token, KEY_VAULT)) {
            String found = issuer.find(token).map(TokenIssuer.Issued::audience).orElse("no valid token");
            vaultError(req, 401, "Unauthorized", "AKV10022: Invalid audience. Expected " + KEY_VAULT + ", found: " + found + ".");
        } else if (req.method() == HttpMethod.GET) {
            Optional<ObjectNode> found = vault.get(m.group(1), Optional.ofNullable(m.group(2)), baseUrl(req));
            if (found.isPresent()) json(req, 200, found.get());
            else vaultError(req, 404, "SecretNotFound", "A secret with (name/id) " + m.group(1) + " was not found in this key vault.");
        } else if (req.method() == HttpMethod.PUT) {
            String value = parse(body).path("value").asText(null);
            if (value == null) vaultError(req, 400, "BadParameter", "The request body must carry a string 'value'.");
            else json(req, 200, vault.set(m.group(1), value, baseUrl(req)));
        } else if (req.method() == HttpMethod.DELETE) {
            if (vault.delete(m.group(1))) json(req, 200, Json.MAPPER.createObjectNode().put("recoveryId", m.group(1)));
            else vaultError(req, 404, "SecretNotFound", "A secret with (name/id) " + m.group(1) + " was not found in this key vault.");
        } else {
            vaultError(req, 405, "MethodNotAllowed", "Use GET, PUT or DELETE.");
        }
    }

    private ObjectNode token(String resource) {
        return Json.MAPPER.createObjectNode().put("access_token", issuer.issue(TokenIssuer.normalize(resource)))
                .put("token_type", "Bearer");
    }

    private static String baseUrl(HttpServerRequest req) {
        return req.scheme() + "://" + req.authority();
    }

    private static String bearer(HttpServerRequest req) {
        String auth = req.getHeader("authorization");
        return auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
    }

    private static boolean same(Secret expected, String given) {
        return given != null && MessageDigest.isEqual(expected.value().getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) form.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
        return form;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static JsonNode parse(Buffer body) {
        try {
            JsonNode n = Json.MAPPER.readTree(body.getBytes());
            return n == null ? Json.MAPPER.createObjectNode() : n;
        } catch (IOException e) {
            return Json.MAPPER.createObjectNode();
        }
    }

    private static void oauthError(HttpServerRequest req, int status, String error, String description) {
        json(req, status, Json.MAPPER.createObjectNode().put("error", error).put("error_description", description));
    }

    private static void vaultError(HttpServerRequest req, int status, String code, String message) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.putObject("error").put("code", code).put("message", message);
        json(req, status, n);
    }

    private static void json(HttpServerRequest req, int status, JsonNode body) {
        req.response().setStatusCode(status).putHeader("content-type", "application/json; charset=utf-8")
                .end(body.toString());
    }
}
