package dev.spillway.gateway.route;

import dev.spillway.gateway.ledger.StreamTokenCounter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The whole per-frame work of a relayed stream between the backend's socket and the client's:
 * the meter (usage chunk, {@code "usage":null} marks, generated text) and the ledger's counter,
 * wired as the pipeline wires them, over 200 Azure-shaped content frames (one per chunk, as the backend flushes
 * them, each a fresh buffer as the HTTP client hands it over), the usage frame and {@code [DONE]}.
 * {@code clientAsked}: whether the client asked for the usage chunk (else the gateway asked and the
 * meter removes it and the marks). Per stream; divide by 200 for per token.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StreamRelayBenchmark {
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

    @Param({"false", "true"})
    public boolean clientAsked;

    @Benchmark
    public void relayStream(Blackhole client) {
        PushStream source = new PushStream();
        long[] usage = new long[1];
        StreamTokenCounter counter = new StreamTokenCounter();
        ReadStream<Buffer> relay = new SseMeter(source, clientAsked, u -> usage[0] = u.completionTokens(), counter);
        relay.handler(client::consume);
        relay.endHandler(v -> client.consume(counter));
        for (byte[] frame : FRAMES) source.push(frame);
        source.end();
        client.consume(usage[0]);
    }
}
