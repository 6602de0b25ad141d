package dev.spillway.gateway.ledger;

import dev.spillway.gateway.config.BackendConfig;
import dev.spillway.gateway.pipeline.Attempt;
import dev.spillway.gateway.pipeline.Chain;
import dev.spillway.gateway.pipeline.Completion;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.GeneratedText;
import dev.spillway.gateway.pipeline.Outcome;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.Priority;
import dev.spillway.gateway.pipeline.Reply;
import dev.spillway.gateway.pipeline.Usage;
import dev.spillway.gateway.price.PriceTable;
import dev.spillway.gateway.telemetry.GatewayMetrics;
import dev.spillway.gateway.telemetry.RequestSample;
import dev.spillway.gateway.telemetry.RequestSpan;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Request tier, near the outside: once the response is written, counts and records what the
 * request used, in two completion steps. {@code COUNT_USAGE} (before the quota settles): the
 * stream meter hands a streamed reply's generated text to a {@link StreamTokenCounter} (the
 * exchange's {@code generatedText}) as it reads each frame, so a stream that ends without a usage
 * chunk (cut short, client gone) is charged for the content that was generated.
 * {@code RECORD_USAGE}: appends a {@link UsageRecord} to the ledger (non-blocking: the spool
 * writer does the I/O; with {@link Durability#STRICT} the reply's last byte waits for it) and
 * updates the metrics. Stateless; shared.
 */
public final class UsagePolicy implements Policy {
    private final UsageLedger ledger;
    private final PriceTable prices;
    private final GatewayMetrics metrics;
    private final Function<String, Optional<BackendConfig>> backends;
    private final Durability durability;

    /** {@code backends} looks up a backend's config by name (its model and region go in the record). */
    public UsagePolicy(UsageLedger ledger, PriceTable prices, GatewayMetrics metrics,
            Function<String, Optional<BackendConfig>> backends, Durability durability) {
        this.ledger = ledger;
        this.durability = durability;
        this.prices = prices;
        this.metrics = metrics;
        this.backends = backends;
    }

    /**
     * The per-request part: whether a metered stream passed by, and the count of the text it
     * generated (made at its first text), which the stream meter hands over as it reads each frame.
     */
    private static final class Watch implements GeneratedText {
        boolean streamed;
        StreamTokenCounter counter;

        @Override
        public void append(char[] text, int offset, int length) {
            if (counter == null) counter = new StreamTokenCounter();
            counter.append(text, offset, length);
        }
    }

    @Override
    public Future<Reply> apply(Exchange exchange, Chain chain) {
        Watch watch = new Watch();
        exchange.generatedText(watch);
        exchange.onComplete(Completion.COUNT_USAGE, outcome -> count(exchange, watch));
        exchange.onComplete(Completion.RECORD_USAGE, outcome -> record(exchange, outcome));
        return chain.proceed(exchange).map(reply -> {
            // A reply whose usage is known before it streams (a cache hit's) needs no counting.
            watch.streamed = reply.body() instanceof Reply.Body.Streamed && !exchange.usage().reported();
            return reply;
        });
    }

    /** A stream that ended without a usage chunk is charged for what it generated (before quota settles). */
    private static void count(Exchange exchange, Watch watch) {
        if (exchange.usage().reported() || !watch.streamed) return;
        long prompt = exchange.body().map(StreamTokenCounter::countPrompt).orElse(0L);
        long completion = watch.counter == null ? 0 : watch.counter.countedCompletionTokens();
        exchange.usage(new Usage(prompt, completion, 0, 0, false));
    }

    private void record(Exchange exchange, Outcome outcome) {
        Usage u = exchange.usage();
        long end = System.nanoTime();
        Optional<Duration> ttft = exchange.firstByteNanos() > 0
                ? Optional.of(Duration.ofNanos(exchange.firstByteNanos() - exchange.startNanos())) : Optional.empty();
        Duration latency = Duration.ofNanos(end - exchange.startNanos());
        CompletionStage<Void> spooled = ledger.append(usageRecord(exchange, outcome, u, ttft, latency));
        if (durability == Durability.STRICT) exchange.holdEndUntil(spooled);
        metrics.requestCompleted(new RequestSample(exchange.caller().app(), exchange.caller().user(),
                exchange.deployment(), exchange.backend(), outcome.status(), u.promptTokens(), u.completionTokens(),
                u.cachedTokens(), ttft, latency, exchange.stream()));
        if (outcome.status() == 429 && exchange.backend().isEmpty()) metrics.rateLimitIssued(exchange.caller().app(), "gateway");
        for (Attempt a : exchange.attempts()) if (a.status() == 429) metrics.rateLimitReceived(a.backend());
    }

    private UsageRecord usageRecord(Exchange ex, Outcome outcome, Usage u, Optional<Duration> ttft, Duration latency) {
        Optional<BackendConfig> backend = ex.backend().isEmpty() ? Optional.empty() : backends.apply(ex.backend());
        String model = backend.map(BackendConfig::deployment).orElse("");
        String region = backend.map(BackendConfig::region).orElse("");
        long listCost = prices.costNanos(ex.backend(), u.promptTokens(), u.completionTokens(), u.cachedTokens());
        long cost = ex.priority() == Priority.BATCH
                ? prices.batchCostNanos(ex.backend(), u.promptTokens(), u.completionTokens(), u.cachedTokens())
                : listCost;
        return new UsageRecord(ex.requestId(), ex.receivedAt(), ex.caller().app(), ex.caller().team(),
                ex.caller().user(), ex.caller().keyPrefix(), ex.deployment(), ex.backend(), region, model,
                u.promptTokens(), u.completionTokens(), u.cachedTokens(), u.reasoningTokens(), !u.reported(),
                cost, ttft, latency, outcome.status(), ex.attempts().size(), ex.stream(), ex.cacheHit().isPresent(),
                ex.span().map(RequestSpan::traceId).orElse(""), ex.priority().wire(), listCost - cost,
                safety(ex.safetyFindings()),
                ex.cacheHit().map(h -> prices.costNanos(h.backend(), h.promptTokens(), h.completionTokens(), 0))
                        .orElse(0L));
    }

    /** The checks that acted, each once, as {@code check:action} from findings named {@code side:check:rule:action}. */
    static String safety(List<String> findings) {
        if (findings.isEmpty()) return "";
        Set<String> acted = new LinkedHashSet<>();
        for (String f : findings) {
            int check = f.indexOf(':') + 1;
            acted.add(f.substring(check, f.indexOf(':', check)) + f.substring(f.lastIndexOf(':')));
        }
        return String.join(" ", acted);
    }
}
