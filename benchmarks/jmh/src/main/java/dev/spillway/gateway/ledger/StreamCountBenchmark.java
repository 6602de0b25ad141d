package dev.spillway.gateway.ledger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
 * The ledger's watch on one streamed reply ({@link StreamTokenCounter}, on the event loop for every
 * frame of every stream): 200 Azure-shaped content frames, with their content-filter results, one
 * frame per chunk as the backend flushes them, then the usage frame. Per stream; divide by 200 for
 * per token.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StreamCountBenchmark {
    static final List<byte[]> FRAMES = new ArrayList<>();

    static {
        String filters = "\"content_filter_results\":{\"hate\":{\"filtered\":false,\"severity\":\"safe\"},"
                + "\"self_harm\":{\"filtered\":false,\"severity\":\"safe\"},\"sexual\":{\"filtered\":false,"
                + "\"severity\":\"safe\"},\"violence\":{\"filtered\":false,\"severity\":\"safe\"}}";
        for (int i = 0; i < 200; i++) {
            FRAMES.add(("data: {\"choices\":[{" + filters + ",\"delta\":{\"content\":\" word" + i + "\"},"
                    + "\"finish_reason\":null,\"index\":0,\"logprobs\":null}],\"created\":1742460935,"
                    + "\"id\":\"chatcmpl-1\",\"model\":\"gpt-4o-mini-2024-07-18\",\"object\":\"chat.completion.chunk\","
                    + "\"system_fingerprint\":\"fp_1\",\"usage\":null}\n\n").getBytes(StandardCharsets.UTF_8));
        }
        FRAMES.add(("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":33,\"completion_tokens\":200}}\n\n"
                + "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
    }

    @Benchmark
    public MeteredUsage countStream() {
        StreamTokenCounter counter = new StreamTokenCounter();
        for (byte[] frame : FRAMES) counter.onChunk(frame);
        return counter.usage(33);
    }
}
