package dev.spillway.simulator.http;

import dev.spillway.core.wire.Operation;
import dev.spillway.core.error.ErrorEnvelope;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.Fault;
import dev.spillway.simulator.FaultKind;
import dev.spillway.simulator.Latency;
import dev.spillway.simulator.limits.Admission;
import dev.spillway.simulator.limits.DeploymentLimiter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One request to one deployment, from its parsed body to the last byte: what the responders need
 * (deployment, latency, fault, seeds) and the one place that writes headers, errors and throttles.
 * One per request, confined to its event loop; not thread-safe.
 */
public final class SimExchange {
    private final Vertx vertx;
    private final HttpServerRequest request;
    private final Deployment deployment;
    private final Operation operation;
    private final String apiVersion;
    private final long deploymentSeed;
    private final SplittableRandom ids;
    private final long created;
    private final Latency latency;
    private final Optional<Fault> fault;
    private final Optional<Integer> completionTokens;
    private boolean closed;
    private long timer = -1;
    private Runnable onDone = () -> { };

    SimExchange(Vertx vertx, HttpServerRequest request, Deployment deployment, Operation operation, String apiVersion,
            long deploymentSeed, SplittableRandom ids, long created, Latency latency, Optional<Fault> fault,
            Optional<Integer> completionTokens) {
        this.vertx = vertx;
        this.request = request;
        this.deployment = deployment;
        this.operation = operation;
        this.apiVersion = apiVersion;
        this.deploymentSeed = deploymentSeed;
        this.ids = ids;
        this.created = created;
        this.latency = latency;
        this.fault = fault;
        this.completionTokens = completionTokens;
        request.response().closeHandler(v -> close()).endHandler(v -> done());
    }

    public DeploymentConfig deployment() {
        return deployment.config();
    }

    public Operation operation() {
        return operation;
    }

    /** The request's {@code api-version}, {@code v1} on the v1 routes that name none. */
    public String apiVersion() {
        return apiVersion;
    }

    /** Seed for this deployment's answers; responders mix in what shapes the answer (not {@code stream}). */
    public long deploymentSeed() {
        return deploymentSeed;
    }

    /** Randomness for response ids (drawn in request order from the simulator's seed). */
    public SplittableRandom ids() {
        return ids;
    }

    public long created() {
        return created;
    }

    public Latency latency() {
        return latency;
    }

    /** The fault still to apply while answering (mid-stream disconnect or stall), if any. */
    public Optional<FaultKind> pendingFault() {
        return fault.map(Fault::kind);
    }

    public Optional<Integer> requestedCompletionTokens() {
        return completionTokens;
    }

    public HttpServerResponse response() {
        return request.response();
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Asks the deployment's limiter to admit {@code estimatedTokens}; when refused, answers Azure's
     * 429 and returns empty. Response headers carry the limiter's view either way.
     */
    public Optional<Admission> admit(long estimatedTokens) {
        Admission a = deployment.limiter().admit(estimatedTokens);
        a.headers().forEach(response()::putHeader);
        if (a.admitted()) return Optional.of(a);
        fail(Throttles.of(operation, apiVersion, a.limit(), Duration.ofMillis(a.retryAfterMillis())));
        return Optional.empty();
    }

    /** Corrects the admission to {@code actualTokens} once the response ends or the connection closes. */
    public void settleWhenDone(Admission admission, long actualTokens) {
        onDone = () -> deployment.limiter().settle(admission, actualTokens);
    }

    /** Runs {@code action} after {@code delay} on this event loop, at once (no timer) when it is zero. */
    public void after(Duration delay, Runnable action) {
        if (closed) return;
        if (delay.isZero()) {
            action.run();
            return;
        }
        timer = vertx.setTimer(delay.toMillis(), id -> {
            timer = -1;
            if (!closed) action.run();
        });
    }

    /** Sends the headers, then nothing more: the {@code stall} fault. */
    public void stall(String contentType) {
        response().setChunked(true).putHeader("content-type", contentType).writeHead();
    }

    /** Drops the connection without finishing the response: the disconnect faults. */
    public void disconnect() {
        closed = true;
        request.connection().close();
    }

    public void fail(SpillwayException e) {
        if (closed || response().headWritten()) return;
        e.headers().forEach(response()::putHeader);
        send(e.status(), Buffer.buffer(ErrorEnvelope.of(e)));
    }

    /** Sends a complete JSON response. */
    public void send(int status, Buffer json) {
        if (closed) return;
        response().setStatusCode(status).putHeader("content-type", "application/json").end(json);
    }

    private void close() {
        closed = true;
        if (timer >= 0) vertx.cancelTimer(timer);
        done();
    }

    private void done() {
        Runnable r = onDone;
        onDone = () -> { };
        r.run();
    }

    /** The per-deployment state an exchange needs; shared by all requests to that deployment. */
    public record Deployment(DeploymentConfig config, DeploymentLimiter limiter) {
    }
}
