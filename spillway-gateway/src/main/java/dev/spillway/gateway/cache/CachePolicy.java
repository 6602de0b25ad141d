package dev.spillway.gateway.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.spillway.core.wire.Json;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.ledger.TeeReadStream;
import dev.spillway.gateway.pipeline.CacheHit;
import dev.spillway.gateway.pipeline.Chain;
import dev.spillway.gateway.pipeline.Completion;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Outcome;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.Reply;
import dev.spillway.gateway.pipeline.Usage;
import dev.spillway.gateway.telemetry.GatewayMetrics;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request tier, after the quota: answers a chat completion from the response cache, or lets it
 * through and keeps the answer once it is complete. A hit has been authenticated, authorized,
 * safety-checked, rate-limited and quota-checked like any request, and its answer still passes the
 * answer guard on the way out; it carries no backend tokens (unless {@code hits-count-tokens}).
 * Only requests of apps with the cache on, with {@code n} = 1 and no safety finding take part;
 * docs/caching.md has every rule. Shared; stateless.
 */
public final class CachePolicy implements Policy {
    private static final Logger log = LoggerFactory.getLogger(CachePolicy.class);
    public static final String HEADER = "x-spillway-cache";
    public static final String SIMILARITY_HEADER = "x-spillway-cache-similarity";
    public static final String GROUPS_HEADER = "x-spillway-access-groups";

    private final CacheConfig config;
    private final ResponseCache store;
    private final SemanticIndex index;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final Cache<Scoped, Partition> partitions = Caffeine.newBuilder().maximumSize(10_000)
            .executor(Runnable::run).build();

    public CachePolicy(CacheConfig config, ResponseCache store, SemanticIndex index, GatewayMetrics metrics,
            Clock clock) {
        this.config = config;
        this.store = store;
        this.index = index;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** An app and the scope its partition setting adds, for a caller who names no access groups. */
    private record Scoped(String app, String scope) {
    }

    /** A cached answer found for a request; {@code similarity} is 1 for an exact hit. */
    private record Found(CachedAnswer answer, boolean semantic, double similarity) {
    }

    @Override
    public Future<Reply> apply(Exchange exchange, Chain chain) {
        CacheConfig.AppPolicy app = config.forApp(exchange.caller().app());
        ObjectNode body = exchange.body().orElse(null);
        if (!app.enabled() || body == null || !cacheable(exchange, body)) return chain.proceed(exchange);
        Control control = Control.of(exchange.headers());
        CacheKey key = new CacheKey(partition(exchange, app), RequestHash.of(exchange.deployment(), body));
        Supplier<SemanticQuery> query = () -> new SemanticQuery(key.partition(), exchange.deployment(),
                RequestHash.context(exchange.deployment(), body), RequestHash.lastUserText(body));
        boolean semantic = app.semantic() && index.enabled() && !RequestHash.lastUserText(body).isEmpty();
        Future<Optional<Found>> found = control.noCache() ? Future.succeededFuture(Optional.empty())
                : lookup(key, semantic ? Optional.of(query) : Optional.empty(), app.threshold());
        return found.compose(f -> f.isPresent() ? Future.succeededFuture(hit(exchange, f.get()))
                : miss(exchange, chain, key, storable(body, control) ? Optional.of(app) : Optional.empty(),
                        semantic ? Optional.of(query) : Optional.empty()));
    }

    /** Chat completions with one choice, whose prompt no safety check touched. */
    private static boolean cacheable(Exchange exchange, ObjectNode body) {
        return exchange.operation() == Operation.CHAT_COMPLETIONS && body.path("n").asInt(1) == 1
                && exchange.safetyFindings().isEmpty();
    }

    private boolean storable(ObjectNode body, Control control) {
        if (control.noStore()) return false;
        if (control.store() || !config.onlyDeterministic()) return true;
        return body.path("temperature").isNumber() && body.path("temperature").doubleValue() == 0;
    }

    private Partition partition(Exchange exchange, CacheConfig.AppPolicy app) {
        String scope = switch (app.partition()) {
            case APP -> "";
            case KEY -> "key:" + exchange.caller().keyName();
            case TEAM -> "team:" + exchange.caller().team();
            case USER -> "user:" + exchange.caller().user();
        };
        List<String> groups = groups(exchange.headers());
        String caller = exchange.caller().app();
        if (!groups.isEmpty()) return Partition.of(caller, scope, groups);
        // Most requests name no groups: their partition is a digest of app and scope alone,
        // kept instead of computed again on every hit.
        return partitions.get(new Scoped(caller, scope), k -> Partition.of(caller, scope, groups));
    }

    /** The caller's access groups, as the chat app passes them: comma-separated, blanks dropped. */
    static List<String> groups(MultiMap headers) {
        String value = headers.get(GROUPS_HEADER);
        if (value == null) return List.of();
        return Arrays.stream(value.split(",")).map(String::strip).filter(g -> !g.isEmpty()).toList();
    }

    private Future<Optional<Found>> lookup(CacheKey key, Optional<Supplier<SemanticQuery>> query, double threshold) {
        Future<Optional<Found>> exact = Future.fromCompletionStage(store.get(key))
                .map(a -> a.map(answer -> new Found(answer, false, 1.0)));
        Future<Optional<Found>> both = query.isEmpty() ? exact : exact.compose(f -> f.isPresent()
                ? Future.succeededFuture(f) : semantic(query.get().get(), threshold));
        return both.recover(e -> {
            log.warn("response cache lookup failed, answering as a miss: {}", e.toString());
            return Future.succeededFuture(Optional.empty());
        });
    }

    private Future<Optional<Found>> semantic(SemanticQuery query, double threshold) {
        return Future.fromCompletionStage(index.lookup(query, threshold)).compose(m -> m.isEmpty()
                ? Future.succeededFuture(Optional.<Found>empty())
                : Future.fromCompletionStage(store.get(m.get().entry()))
                        .map(a -> a.map(answer -> new Found(answer, true, m.get().similarity()))));
    }

    private Reply hit(Exchange exchange, Found found) {
        CachedAnswer a = found.answer();
        exchange.cacheHit(new CacheHit(found.semantic(), a.backend(), a.promptTokens(), a.completionTokens()));
        exchange.usage(config.hitsCountTokens() ? new Usage(a.promptTokens(), a.completionTokens(), 0, 0, true)
                : new Usage(0, 0, 0, 0, true));
        String result = found.semantic() ? "semantic-hit" : "hit";
        metrics.cacheLookup(exchange.caller().app(), result);
        String id = "chatcmpl-" + exchange.requestId();
        long created = clock.instant().getEpochSecond();
        Reply reply = exchange.stream()
                ? new Reply(200, MultiMap.caseInsensitiveMultiMap().add("content-type", "text/event-stream"),
                        new Reply.Body.Streamed(new ReplayStream(Replay.sse(parse(a.completion()), id, created,
                                exchange.clientWantsUsage())), () -> { }))
                : Reply.json(200, Replay.json(a.completion(), id, created));
        reply.headers().set(HEADER, result);
        if (found.semantic()) {
            reply.headers().set(SIMILARITY_HEADER, String.format(Locale.ROOT, "%.4f", found.similarity()));
        }
        return reply;
    }

    private Future<Reply> miss(Exchange exchange, Chain chain, CacheKey key, Optional<CacheConfig.AppPolicy> keep,
            Optional<Supplier<SemanticQuery>> query) {
        metrics.cacheLookup(exchange.caller().app(), "miss");
        return chain.proceed(exchange).map(reply -> {
            reply.headers().set(HEADER, "miss");
            if (keep.isPresent() && reply.status() == 200) capture(exchange, reply, key, keep.get(), query);
            return reply;
        });
    }

    private void capture(Exchange exchange, Reply reply, CacheKey key, CacheConfig.AppPolicy app,
            Optional<Supplier<SemanticQuery>> query) {
        int max = (int) config.maxEntrySize().bytes();
        Supplier<Optional<ObjectNode>> answer;
        if (reply.body() instanceof Reply.Body.Streamed s) {
            StreamAssembler assembler = new StreamAssembler(max * 4);
            reply.body(new Reply.Body.Streamed(new TeeReadStream(s.chunks(), assembler::onChunk), s.cancel()));
            answer = assembler::completion;
        } else {
            Buffer bytes = ((Reply.Body.Full) reply.body()).bytes();
            answer = () -> bytes.length() > max ? Optional.empty() : Optional.of(parse(bytes.getBytes()));
        }
        exchange.onComplete(Completion.CACHE, outcome -> keep(exchange, outcome, key, app, query, answer));
    }

    /** At completion, once every answer guard has run: keeps only a whole, clean, unfiltered answer. */
    private void keep(Exchange exchange, Outcome outcome, CacheKey key, CacheConfig.AppPolicy app,
            Optional<Supplier<SemanticQuery>> query, Supplier<Optional<ObjectNode>> answer) {
        if (outcome.status() != 200 || !outcome.completed() || outcome.clientDisconnected()) return;
        if (!exchange.safetyFindings().isEmpty()) return;
        Optional<ObjectNode> completion = answer.get().filter(Storable::completion);
        if (completion.isEmpty()) return;
        Usage u = exchange.usage();
        // A stream whose client did not ask for usage reached us without its usage chunk (the
        // meter removed it); the metered usage stands in, so a later replay can include it.
        if (!completion.get().path("usage").isObject() && u.reported()) {
            completion.get().putObject("usage").put("prompt_tokens", u.promptTokens())
                    .put("completion_tokens", u.completionTokens()).put("total_tokens", u.totalTokens());
        }
        byte[] bytes = Replay.stored(completion.get());
        if (bytes.length > config.maxEntrySize().bytes()) return;
        CachedAnswer cached = new CachedAnswer(bytes, exchange.backend(), u.promptTokens(), u.completionTokens());
        store.put(key, cached, app.ttl()).thenCompose(v -> query.isPresent() ? index.add(query.get().get(), key)
                : java.util.concurrent.CompletableFuture.completedFuture(null)).exceptionally(e -> {
                    log.warn("response cache could not keep an answer: {}", e.toString());
                    return null;
                });
    }

    private static ObjectNode parse(byte[] json) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(json);
        } catch (IOException | ClassCastException e) {
            return Json.MAPPER.createObjectNode();
        }
    }
}
