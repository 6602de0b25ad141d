package dev.spillway.gateway.server;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.pipeline.FrontDoor;
import dev.spillway.core.wire.Operation;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * The gateway's route table: Azure deployment routes, Azure v1, OpenAI v1, model lists and health
 * probes. Unknown paths are 404 and known paths with the wrong method 405. Stateless.
 */
final class FrontDoors {
    static final String AZURE_STATUS = "/status-0123456789abcdef";
    private static final String DEPLOYMENTS = "/openai/deployments/";

    private FrontDoors() {
    }

    static Route match(HttpMethod method, String rawPath) {
        String path = rawPath.length() > 1 && rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
        switch (path) {
            case "/healthz", "/readyz", AZURE_STATUS -> {
                requireRead(method);
                return new Route.Health(path);
            }
            case "/openai/models" -> {
                requireRead(method);
                return new Route.Api(FrontDoor.AZURE, Operation.MODELS, "");
            }
            case "/openai/responses" -> {
                // Azure's preview Responses route (api-version 2025-03-01-preview, as azure-ai-openai
                // calls it): the deployment is the body's model, as on /openai/v1/responses.
                requirePost(method);
                return new Route.Api(FrontDoor.AZURE_V1, Operation.RESPONSES, "");
            }
            default -> {
                // fall through to the prefixed routes below
            }
        }
        if (path.startsWith(DEPLOYMENTS)) return azure(method, path);
        if (path.startsWith("/openai/v1/")) return versioned(method, FrontDoor.AZURE_V1, path.substring(11));
        if (path.startsWith("/v1/")) return versioned(method, FrontDoor.OPENAI, path.substring(4));
        throw notFound(method, path);
    }

    /**
     * RFC 9112 section 3.2: a server must answer 400 to an HTTP/1.1 request without exactly one
     * {@code Host} header (HTTP/1.0 may omit it; HTTP/2 carries {@code :authority}).
     */
    static void requireHost(HttpServerRequest request) {
        if (request.version() != HttpVersion.HTTP_1_1) return;
        int hosts = request.headers().getAll("host").size();
        if (hosts != 1) {
            throw new SpillwayException.InvalidRequest("invalid_request_error", hosts == 0
                    ? "An HTTP/1.1 request must carry a Host header." : "The request carries more than one Host header.",
                    null);
        }
    }

    private static Route azure(HttpMethod method, String path) {
        String rest = path.substring(DEPLOYMENTS.length());
        int slash = rest.indexOf('/');
        Operation op = slash > 0 ? Operation.ofPath(rest.substring(slash + 1)) : null;
        // Azure has no deployment route for the Responses API: it lives on /openai/v1/responses.
        if (op == null || op == Operation.MODELS || op == Operation.RESPONSES) throw notFound(method, path);
        requirePost(method);
        return new Route.Api(FrontDoor.AZURE, op, rest.substring(0, slash));
    }

    private static Route versioned(HttpMethod method, FrontDoor door, String suffix) {
        Operation op = Operation.ofPath(suffix);
        if (op == null) throw notFound(method, "/" + suffix);
        if (op == Operation.MODELS) requireRead(method);
        else requirePost(method);
        return new Route.Api(door, op, "");
    }

    private static void requirePost(HttpMethod method) {
        if (method != HttpMethod.POST) throw new SpillwayException.MethodNotAllowed(method.name(), "POST");
    }

    private static void requireRead(HttpMethod method) {
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            throw new SpillwayException.MethodNotAllowed(method.name(), "GET");
        }
    }

    private static SpillwayException notFound(HttpMethod method, String path) {
        return new SpillwayException.NotFound("NotFound", "No route for " + method.name() + " " + path
                + ". Spillway serves POST /openai/deployments/{deployment}/chat/completions|completions|embeddings"
                + "?api-version=..., POST /openai/v1/... and /v1/... (also /responses) with 'model', and GET .../models.");
    }
}
