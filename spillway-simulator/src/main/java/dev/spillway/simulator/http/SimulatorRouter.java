package dev.spillway.simulator.http;

import dev.spillway.core.wire.Operation;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.error.ErrorEnvelope;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.error.SpillwayException.InvalidRequest;
import dev.spillway.core.wire.Json;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.Fault;
import dev.spillway.simulator.Latency;
import dev.spillway.simulator.SimulatorConfig;
import dev.spillway.simulator.azure.AzureEndpoints;
import dev.spillway.simulator.faults.FaultPicker;
import dev.spillway.simulator.faults.SimHeaders;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulator's request flow, in order: match the route, authenticate, check {@code api-version},
 * read and parse the body, find the deployment, check the operation, apply faults that strike before
 * the headers, then hand over to the operation's handler. Shared by all event loops; thread-safe.
 */
public final class SimulatorRouter implements Handler<HttpServerRequest> {
    private static final long MAX_BODY_BYTES = 16L * 1024 * 1024;

    private final Vertx vertx;
    private final SimulatorConfig config;
    private final InstantSource clock;
    private final Map<String, Target> targets;
    private final FaultPicker faults;
    private final ModelList models;
    private final AtomicLong sequence = new AtomicLong();
    private final Optional<AzureEndpoints> azure;

    /** A deployment and the handlers of the operations it serves (other operations get 400). */
    public record Target(SimExchange.Deployment deployment, Map<Operation, OperationHandler> handlers) {
        public Target {
            handlers = Map.copyOf(handlers);
        }
    }

    public SimulatorRouter(Vertx vertx, SimulatorConfig config, InstantSource clock, Map<String, Target> targets) {
        this.vertx = vertx;
        this.config = config;
        this.clock = clock;
        this.targets = Map.copyOf(targets);
        this.faults = new FaultPicker(config.faults(), config.seed());
        this.models = new ModelList(config.deployments(), clock);
        this.azure = config.azure().map(a -> new AzureEndpoints(a, clock, config.seed()));
    }

    @Override
    public void handle(HttpServerRequest req) {
        SplittableRandom ids = new SplittableRandom(config.seed() * 31 + sequence.incrementAndGet());
        commonHeaders(req, ids);
        guarded(req, () -> route(req, ids));
    }

    /** Runs one step of the flow, answering a rejection with its envelope and a bug with a 500. */
    private static void guarded(HttpServerRequest req, Runnable step) {
        try {
            step.run();
        } catch (SpillwayException e) {
            fail(req.response(), e);
        } catch (RuntimeException e) {
            HttpServerResponse resp = req.response();
            if (resp.ended() || resp.headWritten()) return;
            resp.setStatusCode(500).putHeader("content-type", "application/json").end(Buffer.buffer(
                    ErrorEnvelope.of("InternalServerError", "Simulator error: " + e, "server_error", null)));
        }
    }

    private void route(HttpServerRequest req, SplittableRandom ids) {
        if (ContentSafety.owns(req.path())) {
            contentSafety(req);
            return;
        }
        if (azure.isPresent() && azure.get().owns(req.path())) {
            azure.get().handle(req);
            return;
        }
        Route route = Route.match(req.path())
                .orElseThrow(() -> new SpillwayException.NotFound("404", "Resource not found"));
        HttpMethod allowed = route.listsModels() ? HttpMethod.GET : HttpMethod.POST;
        if (!req.method().equals(allowed)) throw new SpillwayException.MethodNotAllowed(req.method().name(), allowed.name());
        authenticate(req);
        if (route.listsModels()) {
            req.response().putHeader("content-type", "application/json").end(models.body(req.path()));
            return;
        }
        String apiVersion = req.getParam("api-version");
        if (apiVersion == null && route.requiresApiVersion()) {
            throw new InvalidRequest("BadRequest", "Missing required query parameter 'api-version'. Add "
                    + "?api-version=2024-10-21 (or another supported version) to the URL.", "api-version");
        }
        String length = req.getHeader("content-length");
        if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > MAX_BODY_BYTES) {
            throw new SpillwayException.PayloadTooLarge(MAX_BODY_BYTES);
        }
        String version = apiVersion == null ? "v1" : apiVersion;
        req.body().onComplete(ar -> {
            if (ar.failed()) return; // the client went away while sending
            guarded(req, () -> dispatch(req, route, version, ar.result(), ids));
        });
    }

    private void dispatch(HttpServerRequest req, Route route, String apiVersion, Buffer raw, SplittableRandom ids) {
        JsonNode body = parse(raw);
        String name = route.pathDeployment().orElseGet(() -> modelField(body));
        Target target = targets.get(name);
        if (target == null) throw new SpillwayException.NotFound("DeploymentNotFound", StatusFaults.NOT_FOUND);
        DeploymentConfig d = target.deployment().config();
        HttpServerResponse resp = req.response();
        resp.putHeader("x-ms-deployment-name", d.name())
                .putHeader("azureml-model-session", "sim-" + d.name())
                .putHeader("x-ms-rai-invoked", "true");
        target.deployment().limiter().currentHeaders().forEach(resp::putHeader);
        Operation op = route.operation().orElseThrow();
        OperationHandler handler = target.handlers().get(op);
        if (handler == null) throw notSupported(op, d);
        Optional<Fault> fault = faults.pick(req.headers(), name);
        Latency latency = SimHeaders.latency(req.headers(), config.latencyOf(d));
        Optional<Integer> tokens = SimHeaders.completionTokens(req.headers());
        if (fault.isPresent() && strikesBeforeHeaders(req, fault.get(), op, apiVersion)) return;
        long seed = config.seed() * 0x9E3779B97F4A7C15L + name.hashCode();
        SimExchange exchange = new SimExchange(vertx, req, target.deployment(), op, apiVersion, seed, ids,
                clock.instant().getEpochSecond(), latency, fault, tokens);
        handler.handle(exchange, body);
    }

    /** Azure AI Content Safety's text operations (see {@link ContentSafety}); no deployment, no faults. */
    private void contentSafety(HttpServerRequest req) {
        if (!req.method().equals(HttpMethod.POST)) throw new SpillwayException.MethodNotAllowed(req.method().name(), "POST");
        if (req.getParam("api-version") == null) {
            throw new InvalidRequest("InvalidRequest", "Missing required query parameter 'api-version', e.g. "
                    + "?api-version=2024-09-01.", "api-version");
        }
        String operation = req.path().substring(ContentSafety.PREFIX.length());
        req.body().onComplete(ar -> {
            if (ar.succeeded()) guarded(req, () -> req.response().putHeader("content-type", "application/json")
                    .end(ContentSafety.answer(operation, parse(ar.result()))));
        });
    }

    /** Applies a fault that happens before any header is sent; false if the fault strikes later. */
    private boolean strikesBeforeHeaders(HttpServerRequest req, Fault fault, Operation op, String apiVersion) {
        switch (fault.kind()) {
            case STATUS -> {
                if (fault.status() == 429) {
                    fail(req.response(), Throttles.of(op, apiVersion, "call", fault.retryAfter()));
                } else {
                    req.response().setStatusCode(fault.status()).putHeader("content-type", "application/json")
                            .end(StatusFaults.body(fault.status()));
                }
            }
            case DISCONNECT_BEFORE_HEADERS -> req.connection().close();
            case STALL_BEFORE_HEADERS -> { } // accepted, never answered: the client's timeout must fire
            default -> {
                return false;
            }
        }
        return true;
    }

    private void authenticate(HttpServerRequest req) {
        if (azure.isPresent() && azure.get().requiresToken()) {
            if (azure.get().admits(req)) return;
            throw new SpillwayException.Unauthenticated("Access denied due to an invalid or missing token for audience "
                    + AzureEndpoints.COGNITIVE_SERVICES + ": this resource accepts only Entra ID tokens.");
        }
        if (config.apiKey().isEmpty()) return;
        String expected = config.apiKey().get().value();
        String given = req.getHeader("api-key");
        String auth = req.getHeader("authorization");
        if (given == null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) given = auth.substring(7).trim();
        if (!MessageDigest.isEqual(bytes(expected), bytes(given == null ? "" : given))) {
            throw new SpillwayException.Unauthenticated(SpillwayException.Unauthenticated.AZURE_MESSAGE);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode parse(Buffer raw) {
        try {
            JsonNode node = Json.MAPPER.readTree(raw.getBytes());
            if (node != null && node.isObject()) return node;
            throw new InvalidRequest("BadRequest", "The request body must be a JSON object.", null);
        } catch (JacksonException e) {
            throw new InvalidRequest("BadRequest", "The request body is not valid JSON: " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            throw new InvalidRequest("BadRequest", "The request body could not be read.", null);
        }
    }

    private static String modelField(JsonNode body) {
        JsonNode model = body.path("model");
        if (!model.isTextual() || model.asText().isBlank()) {
            throw new InvalidRequest("invalid_request_error", "'model' is required: it names the deployment.", "model");
        }
        return model.asText();
    }

    private static InvalidRequest notSupported(Operation op, DeploymentConfig d) {
        return new InvalidRequest("OperationNotSupported", "The " + op.shortName() + " operation does not work "
                + "with the specified model, " + d.model() + ". Please choose different model and try again. You can "
                + "learn more about which models can be used with each operation here: "
                + "https://go.microsoft.com/fwlink/?linkid=2197993.", null);
    }

    private void commonHeaders(HttpServerRequest req, SplittableRandom ids) {
        String id = new UUID(ids.nextLong() & ~0xF000L | 0x4000L, ids.nextLong() & 0x3FFFFFFFFFFFFFFFL | Long.MIN_VALUE)
                .toString();
        String client = req.getHeader("x-ms-client-request-id");
        req.response().putHeader("apim-request-id", id).putHeader("x-request-id", id)
                .putHeader("x-ms-client-request-id", client == null ? id : client)
                .putHeader("x-ms-region", config.region())
                .putHeader("x-content-type-options", "nosniff");
    }

    private static void fail(HttpServerResponse resp, SpillwayException e) {
        if (resp.ended() || resp.headWritten()) return;
        e.headers().forEach(resp::putHeader);
        resp.setStatusCode(e.status()).putHeader("content-type", "application/json")
                .end(Buffer.buffer(ErrorEnvelope.of(e)));
    }
}
