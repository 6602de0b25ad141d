package dev.spillway.gateway.server;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.batch.BatchApi;
import dev.spillway.gateway.batch.RequestQueueApi;
import dev.spillway.gateway.pipeline.FrontDoor;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The client-facing routes this gateway serves, found by asking the route table itself
 * ({@link FrontDoors#match}, {@link BatchApi#owns}, {@link RequestQueueApi#owns}) about every operation under every prefix, so a
 * route added there appears here (and so in {@code /openapi.json}) without a second list to keep.
 * Operator routes ({@code /metrics}, {@code /admin/...}, {@code /portal}) are not client API and
 * are left out. Stateless.
 */
public final class ServedRoutes {
    /**
     * One method on one path template; {@code {deployment-id}}, {@code {file-id}}, {@code {batch-id}}
     * and {@code {reply-to}} are parameters.
     */
    public record ServedRoute(String method, String path, Kind kind, Optional<FrontDoor> door,
            Optional<Operation> operation) {
        /** Whether the route requires Azure's {@code api-version} query parameter. */
        public boolean requiresApiVersion() {
            return door.equals(Optional.of(FrontDoor.AZURE)) && operation.filter(o -> o != Operation.MODELS).isPresent()
                    || kind != Kind.MODEL && kind != Kind.PROBE && path.startsWith("/openai/") && !path.startsWith("/openai/v1/");
        }
    }

    /** What a route is for. */
    public enum Kind { MODEL, FILES, BATCHES, QUEUE, PROBE }

    private static final String[] MODEL_PREFIXES = {"/openai/deployments/{deployment-id}/", "/openai/v1/", "/v1/", "/openai/"};
    private static final String[][] LANE = {
            {"files", "GET"}, {"files", "POST"}, {"files/{file-id}", "GET"}, {"files/{file-id}/content", "GET"},
            {"batches", "GET"}, {"batches", "POST"}, {"batches/{batch-id}", "GET"}, {"batches/{batch-id}/cancel", "POST"}};
    private static final String[][] QUEUE = {
            {"queue/requests", "POST"}, {"queue/replies/{reply-to}", "GET"}, {"queue/replies/{reply-to}/ack", "POST"}};

    private ServedRoutes() {
    }

    public static List<ServedRoute> all() {
        List<ServedRoute> routes = new ArrayList<>();
        for (String prefix : MODEL_PREFIXES) {
            for (Operation op : Operation.values()) {
                for (HttpMethod method : List.of(HttpMethod.POST, HttpMethod.GET)) {
                    String path = prefix + op.path();
                    served(method, path).ifPresent(api -> routes.add(new ServedRoute(method.name(), path, Kind.MODEL,
                            Optional.of(api.door()), Optional.of(api.operation()))));
                }
            }
        }
        for (String prefix : List.of("/v1/", "/openai/v1/", "/openai/")) {
            for (String[] lane : LANE) {
                String path = prefix + lane[0];
                if (BatchApi.owns(concrete(path))) {
                    routes.add(new ServedRoute(lane[1], path, lane[0].startsWith("files") ? Kind.FILES : Kind.BATCHES,
                            Optional.empty(), Optional.empty()));
                }
            }
        }
        for (String prefix : List.of("/v1/", "/openai/v1/", "/openai/")) {
            for (String[] queue : QUEUE) {
                String path = prefix + queue[0];
                if (RequestQueueApi.owns(concrete(path))) {
                    routes.add(new ServedRoute(queue[1], path, Kind.QUEUE, Optional.empty(), Optional.empty()));
                }
            }
        }
        for (String probe : List.of("/healthz", "/readyz", FrontDoors.AZURE_STATUS)) {
            if (FrontDoors.match(HttpMethod.GET, probe) instanceof Route.Health) {
                routes.add(new ServedRoute("GET", probe, Kind.PROBE, Optional.empty(), Optional.empty()));
            }
        }
        return List.copyOf(routes);
    }

    private static Optional<Route.Api> served(HttpMethod method, String template) {
        try {
            return FrontDoors.match(method, concrete(template)) instanceof Route.Api api ? Optional.of(api) : Optional.empty();
        } catch (SpillwayException notServed) {
            return Optional.empty();
        }
    }

    /** A template with each parameter filled in, as a client would send it. */
    static String concrete(String template) {
        return template.replace("{deployment-id}", "gpt-4o").replace("{file-id}", "file-abc").replace("{batch-id}", "batch_abc")
                .replace("{reply-to}", "my-answers");
    }
}
