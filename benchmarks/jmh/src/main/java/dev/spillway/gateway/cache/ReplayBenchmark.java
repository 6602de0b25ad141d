package dev.spillway.gateway.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

/**
 * The body of a plain exact hit (issue 15 item 7's hit path): the cached completion with a fresh
 * id and time. {@code replay} is {@link Replay#json} on an answer kept as {@link Replay#stored}
 * keeps it (the new id and time spliced in front of its bytes); {@code tokens} on an answer kept
 * before that layout (a token copy); {@code tree} is what that replaced, the completion parsed
 * into a tree, changed and written out again. The answer is the
 * size the overhead harness's request gets (about 1.2 KB). Run with {@code -prof gc} for the bytes
 * allocated per hit: {@code java -jar benchmarks/jmh/target/benchmarks.jar ReplayBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ReplayBenchmark {
    private final byte[] completion = ("""
            {"id":"chatcmpl-0123456789","object":"chat.completion","created":1765000000,"model":"gpt-4o-mini",\
            "system_fingerprint":"fp_0123456789","choices":[{"index":0,"message":{"role":"assistant","content":"%s",\
            "refusal":null},"logprobs":null,"finish_reason":"stop","content_filter_results":{"hate":{"filtered":false,\
            "severity":"safe"},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,\
            "severity":"safe"},"violence":{"filtered":false,"severity":"safe"}}}],"usage":{"prompt_tokens":212,\
            "completion_tokens":160,"total_tokens":372},"prompt_filter_results":[{"prompt_index":0,\
            "content_filter_results":{"hate":{"filtered":false,"severity":"safe"}}}]}"""
            .formatted("The quick brown fox jumps over the lazy dog. ".repeat(16))).getBytes(StandardCharsets.UTF_8);

    private final byte[] stored = storedForm(completion);

    private static byte[] storedForm(byte[] completion) {
        try {
            return Replay.stored((ObjectNode) Json.MAPPER.readTree(completion));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Benchmark
    public Object replay() {
        return Replay.json(stored, "chatcmpl-req-42", 1_765_000_001L);
    }

    @Benchmark
    public Object tokens() {
        return Replay.json(completion, "chatcmpl-req-42", 1_765_000_001L);
    }

    @Benchmark
    public Object tree() throws IOException {
        ObjectNode node = (ObjectNode) Json.MAPPER.readTree(completion);
        node.put("id", "chatcmpl-req-42").put("created", 1_765_000_001L);
        return Json.MAPPER.writeValueAsBytes(node);
    }
}
