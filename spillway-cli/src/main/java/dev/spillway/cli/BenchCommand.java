package dev.spillway.cli;

import dev.spillway.bench.Api;
import dev.spillway.bench.LoadReport;
import dev.spillway.bench.LoadRun;
import dev.spillway.bench.LoadSpec;
import dev.spillway.bench.LoopbackGuard;
import dev.spillway.bench.ReportFormat;
import dev.spillway.bench.RetryMode;
import dev.spillway.bench.Shape;
import dev.spillway.core.config.Durations;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code spillway bench}: a bounded, open-loop load generator for the gateway or the simulator,
 * modelled on Azure's azure-openai-benchmark (rates here are requests per second). One per invocation.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load a gateway or simulator at a fixed rate and report rpm, tokens/min, TTFT, "
                + "time between tokens, end-to-end latency and utilization.",
                "Only loopback targets (127.0.0.0/8, ::1) unless --allow-remote. Every run is bounded by "
                        + "--duration (and --requests)."})
public final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URL", description = "Base URL, e.g. http://127.0.0.1:8080")
    URI url;
    @Option(names = "--deployment", paramLabel = "D", description = "Azure deployment: POST /openai/deployments/D/chat/completions")
    Optional<String> deployment;
    @Option(names = "--model", paramLabel = "M", description = "OpenAI model: POST /v1/chat/completions with \"model\": M (implies --api openai)")
    Optional<String> model;
    @Option(names = "--api", paramLabel = "azure|openai", description = "Route to call (default: azure with --deployment, openai with --model)")
    Optional<Api> api;
    @Option(names = "--api-version", defaultValue = LoadSpec.DEFAULT_API_VERSION, description = "Azure api-version (default: ${DEFAULT-VALUE})")
    String apiVersion;
    @Option(names = "--api-key", paramLabel = "KEY", description = "Key sent as api-key (azure) or Authorization: Bearer (openai)")
    Optional<String> apiKey;
    @Option(names = "--api-key-env", paramLabel = "NAME", description = "Read the key from this environment variable")
    Optional<String> apiKeyEnv;
    @Option(names = {"-r", "--rate"}, defaultValue = "10", description = "Requests per SECOND on a fixed schedule; 0 = as fast as the clients go (default: ${DEFAULT-VALUE})")
    double rate;
    @Option(names = {"-d", "--duration"}, defaultValue = "30s", converter = DurationConverter.class, description = "Stop issuing after this long (default: ${DEFAULT-VALUE})")
    Duration duration;
    @Option(names = "--warmup", defaultValue = "0s", converter = DurationConverter.class, description = "Run this long first and leave it out of the report (default: ${DEFAULT-VALUE})")
    Duration warmup;
    @Option(names = {"-n", "--requests"}, paramLabel = "N", description = "Stop after N requests (the duration still applies)")
    Optional<Long> requests;
    @Option(names = {"-c", "--clients"}, defaultValue = "20", description = "Maximum concurrent requests = connections (default: ${DEFAULT-VALUE})")
    int clients;
    @Option(names = "--threads", paramLabel = "T", description = "Event loops, one HTTP client each (default: one per core)")
    Optional<Integer> threads;
    @Option(names = {"-s", "--shape"}, defaultValue = "balanced", description = "balanced (500/500), context (2000/200), generation (500/1000) or custom (default: ${DEFAULT-VALUE})")
    Shape shape;
    @Option(names = {"-p", "--context-tokens"}, paramLabel = "N", description = "Prompt tokens (estimated: one common word = one token)")
    Optional<Integer> contextTokens;
    @Option(names = {"-m", "--max-tokens"}, paramLabel = "N", description = "max_tokens of each request")
    Optional<Integer> maxTokens;
    @Option(names = "--stream", description = "Request SSE streaming (with stream_options.include_usage)")
    boolean stream;
    @Option(names = {"-f", "--output"}, defaultValue = "human", description = "human or jsonl (default: ${DEFAULT-VALUE})")
    ReportFormat output;
    @Option(names = {"-w", "--interval"}, defaultValue = "1s", converter = DurationConverter.class, description = "Aggregation and print interval (default: ${DEFAULT-VALUE})")
    Duration interval;
    @Option(names = {"-t", "--retry"}, defaultValue = "none", description = "none or exponential (honours retry-after-ms) (default: ${DEFAULT-VALUE})")
    RetryMode retry;
    @Option(names = "--body", paramLabel = "FILE", description = "Send this file verbatim as every request body (overrides --shape and --stream)")
    Optional<Path> body;
    @Option(names = {"-H", "--header"}, paramLabel = "NAME:VALUE", description = "Extra request header, repeatable (e.g. x-sim-per-token-ms:20)")
    java.util.List<String> headers = new java.util.ArrayList<>();
    @Option(names = "--timeout", defaultValue = "60s", converter = DurationConverter.class, description = "Per-request idle timeout and final drain limit (default: ${DEFAULT-VALUE})")
    Duration timeout;
    @Option(names = "--allow-remote", description = "Allow a target that is not a loopback address")
    boolean allowRemote;
    @Option(names = "--ca-file", paramLabel = "PEM",
            description = "Trust this CA for an https URL (e.g. data/tls/ca.pem of spillway up)")
    Optional<Path> caFile;

    @Override
    public Integer call() {
        LoadSpec load;
        try {
            load = loadSpec();
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("bench: " + e.getMessage());
            spec.commandLine().getErr().println("Try 'spillway bench --help' for the options.");
            return spec.exitCodeOnInvalidInput();
        }
        PrintWriter out = spec.commandLine().getOut();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(load.threads()));
        try {
            LoadReport last = LoadRun.run(vertx, load, r -> print(out, r))
                    .toCompletionStage().toCompletableFuture().get();
            print(out, last);
            return last.completed() > 0 ? 0 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (java.util.concurrent.ExecutionException e) {
            spec.commandLine().getErr().println("bench: " + e.getCause().getMessage());
            return 1;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> null).join();
        }
    }

    private synchronized void print(PrintWriter out, LoadReport r) {
        out.println(output.format(r));
        out.flush();
    }

    /** Builds and checks the spec; every problem is an {@link IllegalArgumentException} naming the option. */
    private LoadSpec loadSpec() {
        Api route = route();
        LoadSpec s = LoadSpec.builder(url, route, route == Api.AZURE ? deployment.orElseThrow() : model.orElseThrow())
                .apiVersion(apiVersion).apiKey(key()).rate(rate).warmup(warmup).duration(duration)
                .maxRequests(requests.map(OptionalLong::of).orElse(OptionalLong.empty()))
                .clients(clients).threads(threads.orElse(java.lang.Runtime.getRuntime().availableProcessors()))
                .shape(shape.resolve(optionalInt(contextTokens), optionalInt(maxTokens))).stream(stream)
                .interval(interval).retry(retry).body(readBody()).headers(headers()).timeout(timeout)
                .allowRemote(allowRemote).caFile(caFile)
                .build();
        LoopbackGuard.check(s);
        return s;
    }

    private static OptionalInt optionalInt(Optional<Integer> v) {
        return v.map(OptionalInt::of).orElse(OptionalInt.empty());
    }

    private Api route() {
        if (deployment.isPresent() == model.isPresent()) {
            throw new IllegalArgumentException("give exactly one of --deployment (Azure route) or --model (OpenAI route)");
        }
        Api implied = deployment.isPresent() ? Api.AZURE : Api.OPENAI;
        if (api.isPresent() && api.get() != implied) {
            throw new IllegalArgumentException("--api " + api.get().name().toLowerCase(java.util.Locale.ROOT)
                    + (implied == Api.AZURE ? " needs --model, not --deployment" : " needs --deployment, not --model"));
        }
        return implied;
    }

    private Map<String, String> headers() {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String h : headers) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("--header: must be NAME:VALUE, was '" + h + "'");
            }
            parsed.put(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
        }
        return parsed;
    }

    private Optional<String> key() {
        if (apiKey.isPresent() && apiKeyEnv.isPresent()) {
            throw new IllegalArgumentException("give --api-key or --api-key-env, not both");
        }
        if (apiKeyEnv.isPresent()) {
            String v = System.getenv(apiKeyEnv.get());
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("--api-key-env: environment variable " + apiKeyEnv.get() + " is not set");
            }
            return Optional.of(v);
        }
        return apiKey;
    }

    private Optional<String> readBody() {
        if (body.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(body.get()));
        } catch (IOException e) {
            throw new IllegalArgumentException("--body: cannot read " + body.get() + " (" + e.getMessage() + ")");
        }
    }

    /** Parses {@code 250ms}, {@code 30s}, {@code 5m} or ISO-8601 durations. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Durations.parse(value);
        }
    }
}
