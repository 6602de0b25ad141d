package dev.spillway.bench;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything one load run needs: target, route, pacing, bounds and request shape. Immutable and
 * validated on construction ({@code field: message}); build it with {@link #builder(URI, Api, String)}.
 *
 * @param baseUrl     gateway or simulator base URL, e.g. {@code http://127.0.0.1:8080}
 * @param api         which route to call
 * @param target      the Azure deployment, or the OpenAI {@code model}
 * @param apiVersion  the Azure {@code api-version} query parameter
 * @param apiKey      sent as {@code api-key} (Azure) or {@code Authorization: Bearer} (OpenAI)
 * @param rate        requests per second on a fixed open-loop schedule; 0 = as fast as the clients go
 * @param warmup      issued and answered first but left out of every count and latency (JIT warm-up)
 * @param duration    measured part of the run: issuing stops at warmup + duration (always bounded)
 * @param maxRequests optional bound on requests issued
 * @param clients     maximum concurrent requests, which is also the connection count
 * @param threads     event loops (one HTTP client each); rate and clients are split among them
 * @param shape       generated prompt size and {@code max_tokens} (ignored with {@code body})
 * @param stream      ask for SSE streaming ({@code stream: true}, usage included)
 * @param interval    aggregation and print interval
 * @param retry       what to do on 429
 * @param body        a fixed request body sent verbatim instead of a generated one
 * @param headers     extra request headers (e.g. the simulator's {@code x-sim-*} steering headers)
 * @param timeout     per-request idle timeout, and how long in-flight requests may drain at the end
 * @param allowRemote allow a target outside 127.0.0.0/8 and ::1
 * @param caFile      a PEM CA bundle to trust for an https URL instead of the JDK's CAs (e.g. the
 *                    local CA of {@code spillway up})
 */
public record LoadSpec(URI baseUrl, Api api, String target, String apiVersion, Optional<String> apiKey,
                       double rate, Duration warmup, Duration duration, OptionalLong maxRequests, int clients, int threads,
                       RequestShape shape, boolean stream, Duration interval, RetryMode retry,
                       Optional<String> body, Map<String, String> headers, Duration timeout,
                       boolean allowRemote, Optional<java.nio.file.Path> caFile) {
    public static final String DEFAULT_API_VERSION = "2024-10-21";

    public LoadSpec {
        String scheme = baseUrl.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("url: must be http://host:port or https://host:port, was " + baseUrl);
        }
        if (target.isBlank()) {
            throw new IllegalArgumentException(api == Api.AZURE ? "deployment: must not be blank" : "model: must not be blank");
        }
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate: must be >= 0 requests per second (0 = as fast as possible), was " + rate);
        }
        requirePositive("duration", duration);
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("warmup: must be >= 0, was " + warmup);
        }
        requirePositive("interval", interval);
        requirePositive("timeout", timeout);
        if (maxRequests.isPresent() && maxRequests.getAsLong() < 1) {
            throw new IllegalArgumentException("requests: must be > 0, was " + maxRequests.getAsLong());
        }
        if (clients < 1 || clients > 100_000) {
            throw new IllegalArgumentException("clients: must be between 1 and 100000, was " + clients);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads: must be > 0, was " + threads);
        }
        headers = Map.copyOf(headers);
        if (caFile.isPresent() && !scheme.equals("https")) {
            throw new IllegalArgumentException("ca-file: applies to an https URL only, was " + baseUrl);
        }
    }

    private static void requirePositive(String field, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + ": must be > 0, was " + d);
        }
    }

    /** Starts a spec with defaults: 10 req/s, 30 s, 20 clients, one thread per core, balanced, 1 s interval. */
    public static Builder builder(URI baseUrl, Api api, String target) {
        return new Builder(baseUrl, api, target);
    }

    /** Event loops actually used: never more than clients. */
    int shards() {
        return Math.min(threads, clients);
    }

    /** Mutable builder for {@link LoadSpec}; one per construction, not thread-safe. */
    public static final class Builder {
        private final URI baseUrl;
        private final Api api;
        private final String target;
        private String apiVersion = DEFAULT_API_VERSION;
        private Optional<String> apiKey = Optional.empty();
        private double rate = 10;
        private Duration warmup = Duration.ZERO;
        private Duration duration = Duration.ofSeconds(30);
        private OptionalLong maxRequests = OptionalLong.empty();
        private int clients = 20;
        private int threads = Runtime.getRuntime().availableProcessors();
        private RequestShape shape = Shape.BALANCED.resolve(java.util.OptionalInt.empty(), java.util.OptionalInt.empty());
        private boolean stream;
        private Duration interval = Duration.ofSeconds(1);
        private RetryMode retry = RetryMode.NONE;
        private Optional<String> body = Optional.empty();
        private Map<String, String> headers = Map.of();
        private Duration timeout = Duration.ofSeconds(60);
        private boolean allowRemote;
        private Optional<java.nio.file.Path> caFile = Optional.empty();

        private Builder(URI baseUrl, Api api, String target) {
            this.baseUrl = baseUrl;
            this.api = api;
            this.target = target;
        }

        public Builder apiVersion(String v) { this.apiVersion = v; return this; }
        public Builder apiKey(Optional<String> v) { this.apiKey = v; return this; }
        public Builder rate(double v) { this.rate = v; return this; }
        public Builder warmup(Duration v) { this.warmup = v; return this; }
        public Builder duration(Duration v) { this.duration = v; return this; }
        public Builder maxRequests(OptionalLong v) { this.maxRequests = v; return this; }
        public Builder clients(int v) { this.clients = v; return this; }
        public Builder threads(int v) { this.threads = v; return this; }
        public Builder shape(RequestShape v) { this.shape = v; return this; }
        public Builder stream(boolean v) { this.stream = v; return this; }
        public Builder interval(Duration v) { this.interval = v; return this; }
        public Builder retry(RetryMode v) { this.retry = v; return this; }
        public Builder body(Optional<String> v) { this.body = v; return this; }
        public Builder headers(Map<String, String> v) { this.headers = v; return this; }
        public Builder timeout(Duration v) { this.timeout = v; return this; }
        public Builder allowRemote(boolean v) { this.allowRemote = v; return this; }
        public Builder caFile(Optional<java.nio.file.Path> v) { this.caFile = v; return this; }

        public LoadSpec build() {
            return new LoadSpec(baseUrl, api, target, apiVersion, apiKey, rate, warmup, duration, maxRequests,
                    clients, threads, shape, stream, interval, retry, body, headers, timeout, allowRemote,
                    caFile);
        }
    }
}
