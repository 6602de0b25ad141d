package dev.spillway.gateway.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Json;
import io.vertx.core.MultiMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * What an exact hit computes before it can look up (issue 15 item 7's hit path): the request's
 * cache directives, its partition and the canonical hash of its body, for the overhead harness's
 * 1 KB request (benchmarks/overhead/request.json) from an app-partitioned caller. Run with
 * {@code -prof gc} for the bytes allocated per hit:
 * {@code java -jar benchmarks/jmh/target/benchmarks.jar CacheKeyBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CacheKeyBenchmark {
    private ObjectNode body;
    private final MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json")
            .add("api-key", "sk-spillway-bench-overhead-0000000000000000");

    @Setup
    public void read() throws IOException {
        Path request = Path.of("benchmarks/overhead/request.json");
        body = (ObjectNode) Json.MAPPER.readTree(Files.exists(request) ? Files.readAllBytes(request)
                : "{\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}],\"max_tokens\":64}".getBytes());
    }

    @Benchmark
    public Object key() {
        Control control = Control.of(headers);
        return new CacheKey(Partition.of("bench", "", List.of()), RequestHash.of("gpt-4o-mini", body))
                .hashCode() + (control.noCache() ? 1 : 0);
    }
}
