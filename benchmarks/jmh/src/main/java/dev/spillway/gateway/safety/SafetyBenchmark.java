package dev.spillway.gateway.safety;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.wire.Json;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.route.PushStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What a safety guard adds per request (issue 14 item 7): PII, secret and injection checks on a
 * 1 KB chat request, PII and secret checks on a 1 KB answer, and a 20-delta stream through
 * {@link GuardedStream} (divide by 20 for the added time per chunk). None of the texts holds a
 * finding, as in the overhead harness's load.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SafetyBenchmark {
    static final String REQUEST = "{\"messages\":[{\"role\":\"system\",\"content\":\""
            + "You are a helpful assistant. ".repeat(14) + "\"},{\"role\":\"user\",\"content\":\""
            + "Summarize the benefits of the plan. ".repeat(14) + "\"}],\"max_tokens\":256,\"temperature\":0.7}";
    static final String ANSWER = "The plan covers preventive care, dental cleanings twice a year and glasses. ".repeat(13);
    /** A guarded stream of 20 deltas, as the backend's one buffer. */
    static final byte[] STREAM;

    static {
        StringBuilder sb = new StringBuilder("data: {\"choices\":[],\"prompt_filter_results\":[]}\n\n");
        for (int i = 0; i < 20; i++) {
            sb.append("data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word").append(i)
                    .append(" \"},\"finish_reason\":null}],\"usage\":null}\n\n");
        }
        sb.append("data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
        STREAM = sb.append("data: [DONE]\n\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private final Guard guard = guard();

    private static Guard guard() {
        ConfigNode root = ConfigLoader.parse("safety:\n  guards:\n    - {name: g, input: {injection: block, pii: redact,"
                + " secrets: redact}, output: {pii: redact, secrets: redact}}\n", Map.of());
        SafetyConfig config = SafetyConfig.from(root.child("safety"));
        root.throwIfInvalid();
        return new Guard(config.guards().get(0));
    }

    @Benchmark
    public List<Finding> checkRequest() throws IOException {
        return guard.scanInput(Operation.CHAT_COMPLETIONS, (ObjectNode) Json.MAPPER.readTree(REQUEST));
    }

    @Benchmark
    public Object checkAnswer() {
        return guard.scanOutputText(ANSWER, new java.util.ArrayList<>());
    }

    @Benchmark
    public void relayGuardedStream(Blackhole bh) {
        PushStream source = new PushStream();
        GuardedStream guarded = new GuardedStream(source, guard, List.of(), Operation.CHAT_COMPLETIONS, f -> { });
        guarded.handler(bh::consume);
        guarded.endHandler(v -> { });
        source.push(STREAM);
        source.end();
    }
}
