package dev.spillway.bench;

import io.vertx.core.http.HttpClientResponse;

import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * One request of a run, through its retries: sends it on its lane's client, reads the response
 * (streamed or whole), and records latency, tokens and the outcome exactly once. One per request; confined to its
 * shard's event loop.
 */
final class Call {
    private static final long MAX_BACKOFF_MS = 60_000;
    /** Where warm-up calls record: never read. Shared by all shards; thread-safe like any {@link Metrics}. */
    private static final Metrics WARMUP_SINK = new Metrics();

    private final Shard shard;
    private final int lane;
    private final long scheduledNanos;
    private final Metrics metrics;
    private long firstSentNanos = -1;
    private int attempts;
    private boolean settled;

    /** A call scheduled during the warm-up is {@code measured == false} and records nothing. */
    Call(Shard shard, int lane, long scheduledNanos, boolean measured) {
        this.shard = shard;
        this.lane = lane;
        this.scheduledNanos = scheduledNanos;
        this.metrics = measured ? shard.metrics() : WARMUP_SINK;
    }

    void attempt() {
        long now = shard.clock().getAsLong();
        if (firstSentNanos < 0) {
            firstSentNanos = now;
        }
        attempts++;
        shard.client(lane).request(shard.factory().options())
                .compose(req -> req.send(shard.factory().body()))
                .onSuccess(this::response)
                .onFailure(this::error);
    }

    private void response(HttpClientResponse resp) {
        int status = resp.statusCode();
        Optional.ofNullable(resp.getHeader("azure-openai-deployment-utilization"))
                .flatMap(Call::percent).ifPresent(metrics::recordUtilization);
        metrics.outcome(Integer.toString(status));
        if (status == 429) {
            metrics.increment(Metrics.Counter.THROTTLED);
            long delay = retryDelayMs(resp);
            resp.body().onComplete(ignored -> retryOrGiveUp(delay));
        } else if (status / 100 != 2) {
            resp.body().onComplete(ignored -> fail(Optional.empty()));
        } else if (isStream(resp)) {
            readStream(resp);
        } else {
            resp.body().onSuccess(body -> {
                long now = shard.clock().getAsLong();
                complete(now, now, Optional.empty(), Usage.find(body.toString()), 0);
            }).onFailure(this::error);
        }
    }

    private boolean isStream(HttpClientResponse resp) {
        String type = resp.getHeader("content-type");
        return type != null && type.startsWith("text/event-stream");
    }

    private void readStream(HttpClientResponse resp) {
        StreamScanner scanner = new StreamScanner();
        resp.handler(buf -> scanner.feed(buf.getBytes(), shard.clock().getAsLong()));
        resp.exceptionHandler(this::error);
        resp.endHandler(v -> {
            long now = shard.clock().getAsLong();
            if (!scanner.completedCleanly()) {
                fail(Optional.of("broken-stream"));
                return;
            }
            complete(now, scanner.firstContentNanos().orElse(now), scanner.meanGapNanos(),
                    scanner.usage(), scanner.contentFrames());
        });
    }

    private void complete(long endNanos, long firstContentNanos, Optional<Long> gap,
                          Optional<Usage> usage, long contentFrames) {
        if (settled) {
            return;
        }
        Metrics m = metrics;
        m.increment(Metrics.Counter.COMPLETED);
        m.recordNanos(Metrics.Distribution.E2E, endNanos - scheduledNanos);
        m.recordNanos(Metrics.Distribution.E2E_SENT, endNanos - firstSentNanos);
        m.recordNanos(Metrics.Distribution.TTFT, firstContentNanos - scheduledNanos);
        m.recordNanos(Metrics.Distribution.TTFT_SENT, firstContentNanos - firstSentNanos);
        gap.ifPresent(g -> m.recordNanos(Metrics.Distribution.TBT, g));
        m.add(Metrics.Counter.CONTEXT_TOKENS,
                usage.map(Usage::promptTokens).orElse(shard.factory().estimatedPromptTokens()));
        m.add(Metrics.Counter.GENERATED_TOKENS, usage.map(Usage::completionTokens).orElse(contentFrames));
        settle();
    }

    private void retryOrGiveUp(long delayMs) {
        long retryAt = shard.clock().getAsLong() + delayMs * 1_000_000L;
        // Retry only when asked to, and only while the run still lasts: the run stays bounded.
        if (shard.spec().retry() == RetryMode.EXPONENTIAL && retryAt < shard.endNanos()) {
            metrics.increment(Metrics.Counter.RETRIES);
            shard.vertx().setTimer(Math.max(1, delayMs), t -> attempt());
        } else {
            settle();
        }
    }

    private long retryDelayMs(HttpClientResponse resp) {
        Optional<Long> ms = parseLong(resp.getHeader("retry-after-ms"));
        if (ms.isPresent()) {
            return Math.min(ms.get(), MAX_BACKOFF_MS);
        }
        Optional<Long> seconds = parseLong(resp.getHeader("retry-after"));
        if (seconds.isPresent()) {
            return Math.min(seconds.get() * 1000, MAX_BACKOFF_MS);
        }
        return Math.min(1000L << Math.min(attempts - 1, 6), MAX_BACKOFF_MS);
    }

    private void error(Throwable t) {
        fail(Optional.of(kind(t)));
    }

    private void fail(Optional<String> kind) {
        if (settled) {
            return;
        }
        kind.ifPresent(metrics::outcome);
        metrics.increment(Metrics.Counter.FAILURES);
        settle();
    }

    private void settle() {
        if (!settled) {
            settled = true;
            shard.settled(lane);
        }
    }

    private static String kind(Throwable t) {
        if (t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
            return "timeout";
        }
        if (t instanceof java.net.ConnectException || t.getClass().getSimpleName().contains("Connect")) {
            return "connect";
        }
        return "error";
    }

    static Optional<Double> percent(String header) {
        try {
            return Optional.of(Double.parseDouble(header.trim().replace("%", "")));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Long> parseLong(String header) {
        if (header == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Math.max(0, (long) Math.ceil(Double.parseDouble(header.trim()))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
