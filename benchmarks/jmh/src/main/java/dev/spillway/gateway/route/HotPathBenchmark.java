package dev.spillway.gateway.route;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.pipeline.Usage;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
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
 * The per-request work the gateway adds on top of moving bytes: parsing a 1 KB chat request,
 * finding {@code usage} in a 1 KB response, and relaying a 2.5 KB SSE stream through the meter.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HotPathBenchmark {
    static final byte[] REQUEST = ("{\"messages\":[{\"role\":\"system\",\"content\":\"" + "You are a helpful assistant. ".repeat(14)
            + "\"},{\"role\":\"user\",\"content\":\"" + "Summarize the benefits of the plan. ".repeat(14)
            + "\"}],\"max_tokens\":256,\"temperature\":0.7}").getBytes();
    static final Buffer RESPONSE = Buffer.buffer("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1742460935,"
            + "\"model\":\"gpt-4o-2024-11-20\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\","
            + "\"content\":\"" + "The plan covers preventive care. ".repeat(20) + "\"}}],"
            + "\"usage\":{\"prompt_tokens\":33,\"completion_tokens\":557,\"total_tokens\":590}}");
    static final Buffer STREAM;

    static {
        StringBuilder sb = new StringBuilder("data: {\"choices\":[],\"prompt_filter_results\":[]}\n\n");
        for (int i = 0; i < 20; i++) {
            sb.append("data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word").append(i)
                    .append(" \"},\"finish_reason\":null}],\"usage\":null}\n\n");
        }
        sb.append("data: {\"id\":\"chatcmpl-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":33,\"completion_tokens\":20}}\n\n");
        sb.append("data: [DONE]\n\n");
        STREAM = Buffer.buffer(sb.toString());
    }

    @Benchmark
    public JsonNode parseChatRequest() throws IOException {
        return Json.MAPPER.readTree(REQUEST);
    }

    @Benchmark
    public Object usageOfResponse() {
        return MeterPolicy.usageOf(RESPONSE);
    }

    /** The stream arrives in frame-sized chunks, as backends flush them. */
    @Benchmark
    public void meterStream(Blackhole bh) {
        OneShot source = new OneShot();
        SseMeter meter = new SseMeter(source, false, (Usage u) -> bh.consume(u));
        meter.handler(bh::consume);
        meter.endHandler(v -> { });
        int start = 0;
        for (int i = 0; i + 1 < STREAM.length(); i++) {
            if (STREAM.getByte(i) == '\n' && STREAM.getByte(i + 1) == '\n') {
                source.push(STREAM.slice(start, i + 2));
                start = i + 2;
            }
        }
        source.end();
    }

    /** A synchronous source for the meter, without an event loop. */
    static final class OneShot implements ReadStream<Buffer> {
        private Handler<Buffer> handler;
        private Handler<Void> end;

        void push(Buffer b) { handler.handle(b); }
        void end() { end.handle(null); }

        @Override public ReadStream<Buffer> handler(Handler<Buffer> h) { handler = h; return this; }
        @Override public ReadStream<Buffer> endHandler(Handler<Void> h) { end = h; return this; }
        @Override public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) { return this; }
        @Override public ReadStream<Buffer> pause() { return this; }
        @Override public ReadStream<Buffer> resume() { return this; }
        @Override public ReadStream<Buffer> fetch(long amount) { return this; }
    }
}
