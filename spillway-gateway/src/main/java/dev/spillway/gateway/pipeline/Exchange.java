package dev.spillway.gateway.pipeline;

import dev.spillway.core.wire.Operation;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.gateway.route.Upstream;
import dev.spillway.gateway.telemetry.RequestSpan;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything Spillway knows about one client request as it moves through the pipeline: what was
 * asked (route, body), who asked (caller), where it went (attempts, backend) and what it cost
 * (usage). Typed fields, no attribute map. One per request, confined to its event loop: not
 * thread-safe.
 */
public final class Exchange {
    private static final Logger log = LoggerFactory.getLogger(Exchange.class);

    private final String requestId;
    private final Instant receivedAt;
    private final long startNanos;
    private final String method;
    private final String path;
    private final MultiMap headers;
    private final FrontDoor door;
    private final Operation operation;
    private String deployment;
    private final Optional<String> apiVersion;
    private final Buffer rawBody;
    private ObjectNode body;
    private boolean bodyEdited;
    private List<String> safetyFindings = List.of();
    private String peerAddress = "";
    private boolean stream;
    private boolean clientWantsUsage;
    private Caller caller = Caller.ANONYMOUS;
    private Priority priority = Priority.INTERACTIVE;
    private boolean firstTierOnly;
    private Usage usage = Usage.NONE;
    private GeneratedText generatedText = GeneratedText.NONE;
    private CacheHit cacheHit;
    private final List<Attempt> attempts = new ArrayList<>(2);
    private String backend = "";
    private long firstByteNanos;
    private Upstream upstream;
    private RequestSpan span;
    private final List<Completion> completionOrder;
    private EnumMap<Completion, List<Consumer<Outcome>>> completionWork = new EnumMap<>(Completion.class);
    private List<CompletableFuture<?>> endGates = List.of();

    public Exchange(String requestId, Instant receivedAt, long startNanos, String method, String path,
                    MultiMap headers, FrontDoor door, Operation operation, String deployment,
                    Optional<String> apiVersion, Buffer rawBody, List<Completion> completionOrder) {
        this.requestId = requestId;
        this.receivedAt = receivedAt;
        this.startNanos = startNanos;
        this.method = method;
        this.path = path;
        this.headers = headers;
        this.door = door;
        this.operation = operation;
        this.deployment = deployment;
        this.apiVersion = apiVersion;
        this.rawBody = rawBody;
        this.completionOrder = List.copyOf(completionOrder);
    }

    public String requestId() { return requestId; }
    public Instant receivedAt() { return receivedAt; }
    public long startNanos() { return startNanos; }
    public String method() { return method; }
    public String path() { return path; }
    /** The client's request headers, as received. */
    public MultiMap headers() { return headers; }
    public FrontDoor door() { return door; }
    public Operation operation() { return operation; }
    /** The deployment alias the client named (path or body {@code model}); empty until known. */
    public String deployment() { return deployment; }
    public void deployment(String alias) { this.deployment = alias; }
    public Optional<String> apiVersion() { return apiVersion; }
    public Buffer rawBody() { return rawBody; }

    /** The parsed JSON body; present after validation for operations that have one. */
    public Optional<ObjectNode> body() { return Optional.ofNullable(body); }

    public void body(ObjectNode parsed) { this.body = parsed; }
    /** Whether a policy changed the parsed body (a redacted prompt), so the raw bytes are stale. */
    public boolean bodyEdited() { return bodyEdited; }
    public void bodyEdited(boolean edited) { this.bodyEdited = edited; }
    /** The address of the TCP peer (the client, or the proxy in front of it); empty when unknown. */
    public String peerAddress() { return peerAddress; }
    public void peerAddress(String address) { this.peerAddress = address; }
    /** The safety checks that fired, as {@code side:check:rule:action}; never the matched text. */
    public List<String> safetyFindings() { return safetyFindings; }
    public void safetyFinding(String finding) {
        if (safetyFindings.isEmpty()) safetyFindings = new ArrayList<>(2);
        safetyFindings.add(finding);
    }
    public boolean stream() { return stream; }
    public void stream(boolean value) { this.stream = value; }
    /** Whether the client asked for the stream's usage chunk itself ({@code stream_options.include_usage}). */
    public boolean clientWantsUsage() { return clientWantsUsage; }
    public void clientWantsUsage(boolean value) { this.clientWantsUsage = value; }
    public Caller caller() { return caller; }
    public void caller(Caller who) { this.caller = who; }
    /** The request's priority class: interactive unless the client, its key or the batch lane says otherwise. */
    public Priority priority() { return priority; }
    public void priority(Priority value) { this.priority = value; }
    /** Whether the router may use only the pool's first tier (provisioned capacity, no pay-as-you-go). */
    public boolean firstTierOnly() { return firstTierOnly; }
    public void firstTierOnly(boolean value) { this.firstTierOnly = value; }
    public Usage usage() { return usage; }
    public void usage(Usage used) { this.usage = used; }
    /** Where a relayed stream's generated text goes as it passes (the ledger's count of a stream cut short). */
    public GeneratedText generatedText() { return generatedText; }
    public void generatedText(GeneratedText sink) { this.generatedText = sink; }
    /** Set when the reply came from the response cache instead of a backend; absent otherwise. */
    public Optional<CacheHit> cacheHit() { return Optional.ofNullable(cacheHit); }
    public void cacheHit(CacheHit hit) { this.cacheHit = hit; }
    public List<Attempt> attempts() { return attempts; }
    /** The backend that produced the reply, or empty before one did. */
    public String backend() { return backend; }
    public void backend(String name) { this.backend = name; }
    /** When the first response byte reached the client, as {@link System#nanoTime()}; 0 before. */
    public long firstByteNanos() { return firstByteNanos; }
    public void firstByteNanos(long nanos) { this.firstByteNanos = nanos; }

    /** The request being sent to a backend in the current attempt; set by the router per attempt. */
    public Upstream upstream() { return upstream; }
    public void upstream(Upstream current) { this.upstream = current; }

    /** The request's trace span (its id is the trace id); set by the trace policy, absent before. */
    public Optional<RequestSpan> span() { return Optional.ofNullable(span); }
    public void span(RequestSpan requestSpan) { this.span = requestSpan; }

    /**
     * Runs {@code work} once the response has been written in full or has failed, as part of
     * {@code step}: steps run in this exchange's completion order, work within a step in the order
     * it was handed in.
     */
    public void onComplete(Completion step, Consumer<Outcome> work) {
        if (completionWork == null) throw new IllegalStateException("exchange " + requestId + " already completed");
        if (!completionOrder.contains(step)) {
            throw new IllegalArgumentException(step + " is not in the completion order " + completionOrder);
        }
        completionWork.computeIfAbsent(step, s -> new ArrayList<>(1)).add(work);
    }

    /**
     * Holds back the reply's last byte until {@code durable} completes: completion work calls
     * this with the write of its record (ledger, audit) when that record must be on disk before
     * the client can see the reply end ("acknowledged means recorded", docs/operations.md).
     */
    public void holdEndUntil(CompletionStage<?> durable) {
        if (endGates.isEmpty()) endGates = new ArrayList<>(2);
        endGates.add(durable.toCompletableFuture());
    }

    /**
     * Completes the exchange just before the reply's last byte is written: runs the completion
     * work (which records the request) and returns what the last byte must wait for, i.e. every record
     * held with {@link #holdEndUntil}; it fails if one of them could not be made durable.
     */
    public CompletableFuture<Void> completeBeforeEnd(Outcome outcome) {
        complete(outcome);
        return CompletableFuture.allOf(endGates.toArray(CompletableFuture[]::new));
    }

    /** Called once by the server; work that throws is logged and does not stop the rest. */
    public void complete(Outcome outcome) {
        EnumMap<Completion, List<Consumer<Outcome>>> work = completionWork;
        if (work == null) return;
        completionWork = null;
        for (Completion step : completionOrder) {
            for (Consumer<Outcome> w : work.getOrDefault(step, List.of())) {
                try {
                    w.accept(outcome);
                } catch (RuntimeException e) {
                    log.error("{} failed for request {}", step, requestId, e);
                }
            }
        }
    }
}
