package dev.spillway.gateway.cache.semantic;

import dev.spillway.retrieval.embed.LocalEmbedder;
import dev.spillway.retrieval.embed.LocalModel;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What embedding a question costs the semantic cache before it searches (reported apart from
 * {@link SemanticLookupBenchmark}): one 13-word question through the in-process model, on one
 * thread, as {@code LocalTextEmbedderProvider} runs it. Run:
 * {@code java -jar benchmarks/jmh/target/benchmarks.jar Embedding}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
public class EmbeddingBenchmark {
    @Param({"all-minilm-l6-v2-q"})
    String model;

    private LocalEmbedder embedder;

    @Setup
    public void load() {
        embedder = LocalEmbedder.load(LocalModel.byId(model).orElseThrow(),
                Path.of(System.getProperty("java.io.tmpdir"), "spillway-jmh-models"), Runnable::run, 256);
    }

    @Benchmark
    public float[] embedQuestion() {
        return embedder.embedPassages(List.of("What are the deductible amounts for in-network services under Northwind"
                + " Health Plus?")).getFirst();
    }
}
