package dev.spillway.gateway.server;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.pipeline.Caller;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.FrontDoor;
import dev.spillway.gateway.pipeline.InternalCalls;
import dev.spillway.gateway.pipeline.Outcome;
import dev.spillway.gateway.pipeline.Priority;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link InternalCalls} on the request tier of the generation in force: the exchange is built as
 * the OpenAI front door would build it, counted into its generation (a reload waits for it as for
 * a client's request) and completed once its body is read, so its completion steps (ledger,
 * audit, trace) run as for any request. A call from outside Vert.x runs on a context of its own.
 * Shared; stateless.
 */
final class SelfCalls implements InternalCalls {
    private final Vertx vertx;
    private final AtomicReference<Generation> current;
    private final Clock clock;

    SelfCalls(Vertx vertx, AtomicReference<Generation> current, Clock clock) {
        this.vertx = vertx;
        this.current = current;
        this.clock = clock;
    }

    @Override
    public Future<Answer> call(Caller caller, Priority priority, Operation operation, String path, Buffer body,
            Duration timeout) {
        Context context = vertx.getOrCreateContext();
        Promise<Answer> answer = Promise.promise();
        Runnable start = () -> {
            long timer = vertx.setTimer(timeout.toMillis(), id -> answer.tryFail(
                    new TimeoutException("no answer from " + path + " within " + timeout.toMillis() + " ms")));
            run(caller, priority, operation, path, body).onComplete(done -> {
                vertx.cancelTimer(timer);
                if (done.succeeded()) answer.tryComplete(done.result());
                else answer.tryFail(done.cause());
            });
        };
        if (Vertx.currentContext() == context) start.run();
        else context.runOnContext(v -> start.run());
        return answer.future();
    }

    private Future<Answer> run(Caller caller, Priority priority, Operation operation, String path, Buffer body) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json");
        Exchange exchange = new Exchange(RequestIds.next(clock), clock.instant(), System.nanoTime(), "POST", path,
                headers, FrontDoor.OPENAI, operation, "", Optional.empty(), body, Lifecycle.COMPLETION_ORDER);
        exchange.caller(caller);
        exchange.priority(priority);
        Generation g = GatewayServer.enter(current, current.get());
        return g.lifecycle.requestTier().run(exchange).compose(reply -> reply.whole().map(bytes -> {
            exchange.complete(new Outcome(reply.status(), bytes.length(), true, false));
            return new Answer(reply.status(), bytes);
        })).recover(e -> {
            exchange.complete(new Outcome(e instanceof SpillwayException s ? s.status() : 500, 0, false, false));
            return Future.failedFuture(e);
        }).andThen(done -> g.leave());
    }
}
