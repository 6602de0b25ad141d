package dev.spillway.gateway.audit;

import dev.spillway.gateway.ledger.Durability;
import dev.spillway.gateway.ledger.TeeReadStream;
import dev.spillway.gateway.pipeline.Chain;
import dev.spillway.gateway.pipeline.Completion;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Outcome;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.Reply;
import dev.spillway.gateway.telemetry.RequestSpan;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Request tier, outermost: audits each request at its app's mode (off, metadata, full). The app
 * is known once authentication ran, so the decision is made when the reply passes back out; in
 * full mode the request body and the response (whole or streamed, chunk by chunk) are teed into
 * {@link BodyCapture}s. The record is written once the response is complete (before its last byte
 * is released, with {@code durability: strict}, after its bodies are synced). Nothing here
 * blocks: captures and the chain writer work on their own threads. Stateless; shared.
 */
public final class AuditPolicy implements Policy {
    private final AuditConfig config;
    private final AuditSink sink;

    public AuditPolicy(AuditConfig config, AuditSink sink) {
        this.config = config;
        this.sink = sink;
    }

    /** The per-request part: the response capture, once a full-mode reply passed by. */
    private static final class Capture {
        BodyCapture response;
    }

    @Override
    public Future<Reply> apply(Exchange exchange, Chain chain) {
        Capture capture = new Capture();
        exchange.onComplete(Completion.AUDIT, outcome -> record(exchange, outcome, capture));
        return chain.proceed(exchange).map(reply -> {
            if (config.modeFor(exchange.caller().app()) == AuditMode.FULL) capture.response = tee(exchange, reply);
            return reply;
        });
    }

    private BodyCapture tee(Exchange exchange, Reply reply) {
        BodyCapture c = sink.startBody(exchange.requestId(), "response", exchange.receivedAt());
        switch (reply.body()) {
            case Reply.Body.Full full -> c.write(full.bytes().getBytes());
            case Reply.Body.Streamed s -> reply.body(new Reply.Body.Streamed(
                    new TeeReadStream(s.chunks(), b -> c.write(b.getBytes())), s.cancel()));
        }
        return c;
    }

    private void record(Exchange exchange, Outcome outcome, Capture capture) {
        AuditMode mode = config.modeFor(exchange.caller().app());
        if (mode == AuditMode.OFF) return;
        CompletionStage<Optional<BodyRef>> request = none();
        CompletionStage<Optional<BodyRef>> response = none();
        if (mode == AuditMode.FULL) {
            BodyCapture req = sink.startBody(exchange.requestId(), "request", exchange.receivedAt());
            req.write(exchange.rawBody().getBytes());
            request = req.finish().thenApply(Optional::of).exceptionally(e -> Optional.empty());
            if (capture.response != null) {
                response = capture.response.finish().thenApply(Optional::of).exceptionally(e -> Optional.empty());
            }
        }
        long latencyMicros = Duration.ofNanos(System.nanoTime() - exchange.startNanos()).toNanos() / 1000;
        CompletionStage<Optional<BodyRef>> resp = response;
        CompletionStage<Void> written = request.thenCombine(resp, (q, r) -> new AuditRecord(exchange.requestId(), exchange.receivedAt(),
                        exchange.caller().app(), exchange.caller().team(), exchange.caller().user(),
                        exchange.caller().keyPrefix(), exchange.method(), exchange.path(), exchange.deployment(),
                        outcome.status(), mode, exchange.span().map(RequestSpan::traceId).orElse(""), latencyMicros, q, r,
                        exchange.safetyFindings()))
                .thenCompose(sink::write);
        if (config.durability() == Durability.STRICT) exchange.holdEndUntil(written);
    }

    private static CompletionStage<Optional<BodyRef>> none() {
        return CompletableFuture.completedFuture(Optional.empty());
    }
}
