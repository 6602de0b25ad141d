package dev.spillway.gateway.pipeline;

import dev.spillway.core.wire.Operation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PipelineTest {
    static Exchange exchange() {
        return new Exchange("id-1", Instant.EPOCH, 0, "POST", "/v1/chat/completions", MultiMap.caseInsensitiveMultiMap(),
                FrontDoor.OPENAI, Operation.CHAT_COMPLETIONS, "", Optional.empty(), Buffer.buffer(),
                List.of(Completion.COUNT_USAGE, Completion.SETTLE_QUOTA, Completion.END_TRACE));
    }

    record Recording(String name, List<String> log) implements Policy {
        @Override
        public Future<Reply> apply(Exchange exchange, Chain chain) {
            log.add(name + " in");
            return chain.proceed(exchange).onSuccess(r -> log.add(name + " out"));
        }
    }

    @Test
    void policiesRunInListOrderAroundTheTerminal() {
        List<String> log = new ArrayList<>();
        Pipeline p = new Pipeline(List.of(new Recording("a", log), new Recording("b", log)), ex -> {
            log.add("terminal");
            return Future.succeededFuture(Reply.json(200, Buffer.buffer("{}")));
        });
        assertThat(p.run(exchange()).result().status()).isEqualTo(200);
        assertThat(log).containsExactly("a in", "b in", "terminal", "b out", "a out");
    }

    @Test
    void aPolicyThatAnswersItselfStopsTheChain() {
        List<String> log = new ArrayList<>();
        Policy deny = (ex, chain) -> Future.succeededFuture(Reply.json(403, Buffer.buffer("{}")));
        Pipeline p = new Pipeline(List.of(deny, new Recording("never", log)), ex -> {
            log.add("terminal");
            return Future.succeededFuture(Reply.json(200, Buffer.buffer("{}")));
        });
        assertThat(p.run(exchange()).result().status()).isEqualTo(403);
        assertThat(log).isEmpty();
    }

    @Test
    void callingProceedTwiceFailsNamingThePolicy() {
        Policy twice = new Policy() {
            @Override
            public Future<Reply> apply(Exchange ex, Chain chain) {
                chain.proceed(ex);
                return chain.proceed(ex);
            }

            @Override
            public String name() {
                return "TwicePolicy";
            }
        };
        Pipeline p = new Pipeline(List.of(twice), ex -> Future.succeededFuture(Reply.json(200, Buffer.buffer("{}"))));
        Future<Reply> result = p.run(exchange());
        assertThat(result.failed()).isTrue();
        assertThat(result.cause()).hasMessage("TwicePolicy called proceed more than once");
    }

    @Test
    void aThrowingPolicyBecomesAFailedFuture() {
        Policy boom = (ex, chain) -> {
            throw new IllegalStateException("boom");
        };
        Pipeline p = new Pipeline(List.of(boom), ex -> Future.succeededFuture(Reply.json(200, Buffer.buffer("{}"))));
        assertThat(p.run(exchange()).cause()).hasMessage("boom");
    }

    @Test
    void completionWorkRunsOnceInTheExchangesOrderWhateverOrderItWasHandedIn() {
        Exchange ex = exchange();
        List<String> log = new ArrayList<>();
        ex.onComplete(Completion.END_TRACE, o -> log.add("trace " + o.status()));
        ex.onComplete(Completion.SETTLE_QUOTA, o -> log.add("settle " + o.status()));
        ex.onComplete(Completion.COUNT_USAGE, o -> log.add("count " + o.status()));
        ex.onComplete(Completion.SETTLE_QUOTA, o -> log.add("settle again " + o.status()));
        ex.complete(new Outcome(200, 10, true, false));
        ex.complete(new Outcome(500, 0, false, false));
        assertThat(log).containsExactly("count 200", "settle 200", "settle again 200", "trace 200");
    }

    @Test
    void workForAStepOutsideTheOrderIsRefusedWhenHandedIn() {
        assertThatThrownBy(() -> exchange().onComplete(Completion.AUDIT, o -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AUDIT is not in the completion order");
    }

    @Test
    void workThatThrowsDoesNotStopTheRest() {
        Exchange ex = exchange();
        List<String> log = new ArrayList<>();
        ex.onComplete(Completion.COUNT_USAGE, o -> {
            throw new IllegalStateException("boom");
        });
        ex.onComplete(Completion.END_TRACE, o -> log.add("trace"));
        ex.complete(new Outcome(200, 10, true, false));
        assertThat(log).containsExactly("trace");
    }
}
