package dev.spillway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BenchCommandTest {
    private record Result(int exit, String out, String err) {
    }

    private static Result bench(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SpillwayCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        String[] all = new String[args.length + 1];
        all[0] = "bench";
        System.arraycopy(args, 0, all, 1, args.length);
        int exit = cli.execute(all);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void runsABoundedLoadAndEndsWithAFinalJsonLine() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b ->
                    req.response().putHeader("content-type", "application/json")
                            .end("{\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4}}")))
                    .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();

            Result r = bench("http://127.0.0.1:" + server.actualPort(), "--deployment", "gpt-4o", "--rate", "0",
                    "--requests", "5", "--clients", "2", "--threads", "1", "--output", "jsonl");

            assertThat(r.exit()).as(r.err()).isZero();
            List<String> lines = r.out().lines().toList();
            JsonNode last = Json.MAPPER.readTree(lines.getLast());
            assertThat(last.get("type").asText()).isEqualTo("final");
            assertThat(last.get("completed").asLong()).isEqualTo(5);
            assertThat(last.get("generated_tokens").asLong()).isEqualTo(20);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    @Test
    void httpsTargetIsTrustedThroughCaFileAndOtherwiseFails() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("bench-tls");
        dev.spillway.core.tls.LocalCa ca = dev.spillway.core.tls.LocalCa.ensure(dir, java.time.Clock.systemUTC());
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer server = vertx.createHttpServer(dev.spillway.core.tls.TlsListener.secure(
                            new io.vertx.core.http.HttpServerOptions(), ca.tls()))
                    .requestHandler(req -> req.body().onSuccess(b -> req.response()
                            .putHeader("content-type", "application/json")
                            .end("{\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4}}")))
                    .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
            String url = "https://127.0.0.1:" + server.actualPort();
            String[] load = {"--deployment", "gpt-4o", "--rate", "0", "--requests", "3", "--clients", "1",
                    "--threads", "1", "--output", "jsonl", "--timeout", "5s"};

            Result trusted = bench(concat(new String[] {url, "--ca-file", ca.caFile().toString()}, load));
            assertThat(trusted.exit()).as(trusted.err()).isZero();
            assertThat(Json.MAPPER.readTree(trusted.out().lines().toList().getLast()).get("completed").asLong()).isEqualTo(3);

            Result untrusted = bench(concat(new String[] {url}, load));
            assertThat(untrusted.exit()).isEqualTo(1);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void caFileWithAnHttpUrlIsAUsageError() {
        Result r = bench("http://127.0.0.1:8080", "--deployment", "a", "--ca-file", "ca.pem");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("ca-file: applies to an https URL only");
    }

    @Test
    void deploymentAndModelTogetherAreAUsageError() {
        Result r = bench("http://127.0.0.1:8080", "--deployment", "a", "--model", "b");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("exactly one of --deployment");
    }

    @Test
    void remoteTargetIsRefusedWithoutAllowRemote() {
        Result r = bench("http://10.0.0.7:8080", "--deployment", "a");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("not a loopback address").contains("--allow-remote");
    }

    @Test
    void negativeRateIsAUsageError() {
        Result r = bench("http://127.0.0.1:8080", "--model", "m", "--rate", "-5");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("rate: must be >= 0");
    }

    @Test
    void unreadableDurationIsAUsageError() {
        Result r = bench("http://127.0.0.1:8080", "--model", "m", "--duration", "soon");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--duration").contains("250ms, 30s");
    }

    @Test
    void customShapeWithoutTokenCountsIsAUsageError() {
        Result r = bench("http://127.0.0.1:8080", "--model", "m", "--shape", "custom", "--max-tokens", "20");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--context-tokens and --max-tokens");
    }

    @Test
    void headerWithoutColonIsAUsageError() {
        Result r = bench("http://127.0.0.1:8080", "--model", "m", "-H", "x-sim-latency-ms");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--header: must be NAME:VALUE");
    }

    @Test
    void apiThatContradictsTheRouteIsAUsageError() {
        Result r = bench("http://127.0.0.1:8080", "--deployment", "d", "--api", "openai");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--api openai needs --model");
    }
}
