package dev.spillway.gateway.validate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
 * The request tier's read of the body (issue 18): the UTF-8 check and the JSON tree of the
 * overhead harness's 1 KB chat request, as the body reader hands it over. Run with
 * {@code -prof gc} for the bytes each allocates.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ValidateBenchmark {
    static final Buffer REQUEST = request();

    @Benchmark
    public ObjectNode parseRequestBody() {
        return ValidatePolicy.parse(REQUEST);
    }

    private static Buffer request() {
        try (InputStream in = ValidateBenchmark.class.getResourceAsStream("/overhead/request.json")) {
            return Buffer.buffer().appendBytes(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
