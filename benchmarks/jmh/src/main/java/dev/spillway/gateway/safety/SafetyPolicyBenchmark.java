package dev.spillway.gateway.safety;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.wire.Json;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.pipeline.Caller;
import dev.spillway.gateway.pipeline.Chain;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.FrontDoor;
import dev.spillway.gateway.pipeline.Reply;
import dev.spillway.gateway.server.Lifecycle;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The safety guard's whole per-request cost (issue 14 item 7) as the gateway pays it: the overhead
 * harness's 1 KB request ({@code benchmarks/overhead/request.json}, parsed once as validation
 * leaves it) and the simulator's recorded answer to it ({@code safety/answer.json}, 1.8 KB) through
 * {@link SafetyPolicy#apply} with {@code gateway-safety.yaml}'s guard: address lists, the covering
 * guard, request limits, the input checks, and on the way back whatever the answer step does
 * (parse, checks, re-encode). {@code baseline} does the same exchange and reply without the policy;
 * the guard's cost is {@code guarded - baseline}, and {@code inputOnly}/{@code outputOnly} split it.
 * Neither text holds a finding, as in the harness.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SafetyPolicyBenchmark {
    private static final String GUARD = "safety:\n  guards:\n    - {name: bench, apps: [bench], %s}\n";
    private static final Caller CALLER = new Caller("bench", "bench", "bench", "", "sk-spillway-b");
    private static final MultiMap HEADERS = MultiMap.caseInsensitiveMultiMap().add("api-key", "sk-spillway-bench");

    private Buffer request;
    private ObjectNode parsed;
    private Buffer answer;
    private SafetyPolicy guarded;
    private SafetyPolicy inputOnly;
    private SafetyPolicy outputOnly;
    private final Chain backend = e -> Future.succeededFuture(new Reply(200,
            MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json"), new Reply.Body.Full(answer)));

    @Setup
    public void setUp() throws IOException {
        request = Buffer.buffer(resource("/overhead/request.json"));
        parsed = (ObjectNode) Json.MAPPER.readTree(request.getBytes());
        answer = Buffer.buffer(resource("/safety/answer.json"));
        String input = "input: {injection: block, pii: redact, secrets: redact}";
        String output = "output: {pii: redact, secrets: redact}";
        guarded = policy(input + ", " + output);
        inputOnly = policy(input);
        outputOnly = policy(output);
        Exchange e = exchange();
        guarded.apply(e, backend).result();
        if (!e.safetyFindings().isEmpty() || e.bodyEdited()) {
            throw new IllegalStateException("the benchmark texts must hold no finding: " + e.safetyFindings());
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = SafetyPolicyBenchmark.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException(name + " is not on the class path");
            return in.readAllBytes();
        }
    }

    private static SafetyPolicy policy(String actions) {
        ConfigNode root = ConfigLoader.parse(GUARD.formatted(actions), Map.of());
        SafetyConfig config = SafetyConfig.from(root.child("safety"));
        root.throwIfInvalid();
        return new SafetyPolicy(config, SafetyEvents.NONE);
    }

    /** An exchange as validation leaves it: the raw bytes and their parsed tree (never edited here). */
    private Exchange exchange() {
        Exchange e = new Exchange("req-1", Instant.EPOCH, 0, "POST",
                "/openai/deployments/gpt-4o-mini/chat/completions", HEADERS, FrontDoor.AZURE,
                Operation.CHAT_COMPLETIONS, "gpt-4o-mini", Optional.of("2024-10-21"), request, Lifecycle.COMPLETION_ORDER);
        e.body(parsed);
        e.caller(CALLER);
        e.peerAddress("127.0.0.1");
        return e;
    }

    @Benchmark
    public Object baseline() {
        return bytes(backend.proceed(exchange()));
    }

    @Benchmark
    public Object guarded() {
        return bytes(guarded.apply(exchange(), backend));
    }

    @Benchmark
    public Object inputOnly() {
        return bytes(inputOnly.apply(exchange(), backend));
    }

    @Benchmark
    public Object outputOnly() {
        return bytes(outputOnly.apply(exchange(), backend));
    }

    private static Buffer bytes(Future<Reply> reply) {
        if (reply.failed()) throw new UncheckedIOException(new IOException(reply.cause()));
        return ((Reply.Body.Full) reply.result().body()).bytes();
    }
}
