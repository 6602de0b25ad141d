package dev.spillway.gateway.safety;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.pipeline.Caller;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.FrontDoor;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Builders for the safety tests: config from YAML, exchanges, and a stream a test pushes into. */
final class SafetyFixtures {
    private SafetyFixtures() {
    }

    /** {@code guards} is the YAML list under {@code safety.guards}, indented by two spaces. */
    static SafetyConfig config(String guards) {
        ConfigNode root = ConfigLoader.parse("safety:\n  guards:\n" + guards, Map.of());
        SafetyConfig config = SafetyConfig.from(root.child("safety"));
        root.throwIfInvalid();
        return config;
    }

    static Exchange exchange(Operation op, String app) {
        Exchange e = new Exchange("req-1", Instant.EPOCH, 0, "POST", "/", MultiMap.caseInsensitiveMultiMap(),
                FrontDoor.OPENAI, op, "gpt-4o", Optional.empty(), Buffer.buffer());
        e.caller(new Caller(app + "-key", app, "", "", "sk-spw-ab"));
        return e;
    }

    /** A read stream the test pushes chunks into and ends by hand. Not thread-safe. */
    static final class PushStream implements ReadStream<Buffer> {
        private Handler<Buffer> handler;
        private Handler<Void> end;

        void push(String chunk) {
            handler.handle(Buffer.buffer(chunk));
        }

        void end() {
            end.handle(null);
        }

        @Override public ReadStream<Buffer> handler(Handler<Buffer> h) { handler = h; return this; }
        @Override public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) { return this; }
        @Override public ReadStream<Buffer> endHandler(Handler<Void> h) { end = h; return this; }
        @Override public ReadStream<Buffer> pause() { return this; }
        @Override public ReadStream<Buffer> resume() { return this; }
        @Override public ReadStream<Buffer> fetch(long amount) { return this; }
    }
}
