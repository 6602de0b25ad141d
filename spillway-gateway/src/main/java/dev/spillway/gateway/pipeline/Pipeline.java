package dev.spillway.gateway.pipeline;

import io.vertx.core.Future;
import java.util.List;

/**
 * An ordered list of policies ending in a terminal step, run OkHttp-style: each policy gets a chain
 * positioned after itself. A policy that calls {@code proceed} twice is a bug and fails loudly with
 * its name. Immutable and shared.
 */
public final class Pipeline {
    private final List<Policy> policies;
    private final Terminal terminal;

    /** The last step, which produces the reply (the router, or the backend call in the attempt tier). */
    @FunctionalInterface
    public interface Terminal {
        Future<Reply> handle(Exchange exchange);
    }

    public Pipeline(List<Policy> policies, Terminal terminal) {
        this.policies = List.copyOf(policies);
        this.terminal = terminal;
    }

    public Future<Reply> run(Exchange exchange) {
        return new Link(0).proceed(exchange);
    }

    public List<Policy> policies() {
        return policies;
    }

    private final class Link implements Chain {
        private final int index;
        private boolean called;

        Link(int index) {
            this.index = index;
        }

        @Override
        public Future<Reply> proceed(Exchange exchange) {
            if (called) {
                throw new IllegalStateException(policies.get(index - 1).name() + " called proceed more than once");
            }
            called = true;
            if (index == policies.size()) return terminal.handle(exchange);
            Policy policy = policies.get(index);
            try {
                return policy.apply(exchange, new Link(index + 1));
            } catch (RuntimeException e) {
                return Future.failedFuture(e);
            }
        }
    }
}
