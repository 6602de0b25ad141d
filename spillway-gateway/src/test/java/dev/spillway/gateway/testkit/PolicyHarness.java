package dev.spillway.gateway.testkit;

import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Outcome;
import dev.spillway.gateway.pipeline.Pipeline;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.Reply;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * Runs one policy alone, as the pipeline would, in front of a terminal the test chooses: it
 * records whether the policy let the request through and with what exchange, then completes the
 * exchange as the server does once the reply is written. One per test; not thread-safe.
 */
public final class PolicyHarness {
    private final Policy policy;
    private Reply answer = Reply.json(200, Buffer.buffer("{}"));
    private String backend = "b1";
    private int proceeded;

    public PolicyHarness(Policy policy) {
        this.policy = policy;
    }

    /** The reply the rest of the chain gives (default: 200 {@code {}} from backend {@code b1}). */
    public PolicyHarness answers(Reply reply) {
        this.answer = reply;
        return this;
    }

    /** A streamed 200 fed by {@code source}. */
    public PolicyHarness streams(FakeStream source) {
        return answers(new Reply(200, MultiMap.caseInsensitiveMultiMap()
                .add("content-type", "text/event-stream"), new Reply.Body.Streamed(source, () -> { })));
    }

    /** The backend the rest of the chain names as the one that answered; empty for none. */
    public PolicyHarness fromBackend(String name) {
        this.backend = name;
        return this;
    }

    public Future<Reply> run(Exchange exchange) {
        proceeded = 0;
        return new Pipeline(List.of(policy), ex -> {
            proceeded++;
            ex.backend(backend);
            return Future.succeededFuture(answer);
        }).run(exchange);
    }

    /** Starts reading a streamed reply as the reply writer does, so its chunks flow through any taps. */
    public static Reply read(Reply reply) {
        if (reply.body() instanceof Reply.Body.Streamed s) s.chunks().handler(b -> { });
        return reply;
    }

    /** Whether the policy passed the last request on to the rest of the chain (once). */
    public boolean proceeded() {
        return proceeded == 1;
    }

    /** Completes the exchange as the server does once a reply with {@code status} was written. */
    public static void complete(Exchange exchange, int status) {
        exchange.complete(new Outcome(status, 0, status < 400, false));
    }
}
