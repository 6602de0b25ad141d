package dev.spillway.gateway.access;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.spillway.gateway.access.jwt.JwtVerifier;
import dev.spillway.gateway.access.jwt.VertxJwksFetcher;
import dev.spillway.gateway.price.PriceTable;
import dev.spillway.gateway.access.keys.InMemoryKeyStore;
import dev.spillway.gateway.access.keys.KeyResolver;
import dev.spillway.gateway.access.keys.KeyService;
import dev.spillway.gateway.access.keys.KeyStore;
import dev.spillway.gateway.access.keys.KeysAdminApi;
import dev.spillway.gateway.access.limit.FailoverQuotaStore;
import dev.spillway.gateway.access.limit.InMemoryQuotaStore;
import dev.spillway.gateway.access.limit.LimitPlan;
import dev.spillway.gateway.access.limit.QuotaStore;
import dev.spillway.gateway.access.limit.RequestLimiter;
import dev.spillway.gateway.config.StaticKey;
import dev.spillway.gateway.pipeline.Pipeline;
import dev.spillway.gateway.pipeline.Policy;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access layer of one gateway: its stores (quota counters, keys), the authenticator and the
 * three policies that use them and the key admin API. {@link #create} picks the adapters the config names, from the class
 * path. Thread-safe; lives as long as the gateway; close it on shutdown.
 */
public final class Access implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Access.class);

    private final AccessConfig config;
    private final QuotaStore quotas;
    private final RequestLimiter requests;
    private final KeyStore keyStore;
    private final KeyResolver resolver;
    private final KeyService keyService;
    private final Optional<JwtVerifier> jwt;
    private final LimitPlan plan;
    private final Vertx vertx;
    private final Clock clock;
    private final Executor blocking;

    /** Builds on the given stores; {@code sharedQuotas} says whether {@code quotas} is shared by replicas. */
    public Access(Vertx vertx, AccessConfig config, QuotaStore quotas, boolean sharedQuotas, KeyStore keyStore,
            Clock clock) {
        this.vertx = vertx;
        this.clock = clock;
        this.config = config;
        this.quotas = quotas;
        this.requests = RequestLimiter.of(quotas, sharedQuotas, clock);
        this.keyStore = keyStore;
        this.blocking = task -> vertx.executeBlocking(() -> {
            task.run();
            return null;
        }, false);
        this.resolver = new KeyResolver(keyStore, blocking, config.keyCacheTtl(), Ticker.systemTicker(), clock);
        this.keyService = new KeyService(keyStore, clock, new SecureRandom());
        this.jwt = config.jwt().issuers().isEmpty() ? Optional.empty()
                : Optional.of(new JwtVerifier(config.jwt(), new VertxJwksFetcher(vertx), clock));
        this.plan = new LimitPlan(config.limits());
    }

    private Access(Access previous, AccessConfig config) {
        this.vertx = previous.vertx;
        this.clock = previous.clock;
        this.blocking = previous.blocking;
        this.config = config;
        this.quotas = previous.quotas;
        this.requests = previous.requests;
        this.keyStore = previous.keyStore;
        this.keyService = previous.keyService;
        this.resolver = config.keyCacheTtl().equals(previous.config.keyCacheTtl()) ? previous.resolver
                : new KeyResolver(keyStore, blocking, config.keyCacheTtl(), Ticker.systemTicker(),
                        clock);
        this.jwt = config.jwt().equals(previous.config.jwt()) ? previous.jwt
                : config.jwt().issuers().isEmpty() ? Optional.empty()
                : Optional.of(new JwtVerifier(config.jwt(), new VertxJwksFetcher(vertx), clock));
        this.plan = new LimitPlan(config.limits());
    }

    /**
     * The access layer under a reloaded config: the same stores and counters (a reload resets no
     * quota), the new limits, JWT issuers, caller header and key cache TTL. The store and the
     * database are kept as they are ({@code store}, {@code database}: a restart applies them).
     */
    public Access reconfigured(AccessConfig next) {
        return new Access(this, next);
    }

    /** Opens the stores the config names: memory or Redis counters, database or in-memory keys. */
    public static Access create(Vertx vertx, AccessConfig config, Clock clock) {
        StoreConfig s = config.store();
        QuotaStore quotas = s.type() == StoreConfig.Type.MEMORY ? new InMemoryQuotaStore(clock, s.holdTtl())
                : new FailoverQuotaStore(connected(provider(QuotaStoreProvider.class, p -> p.type() == s.type(),
                        "spillway-store-redis").open(s, clock)), clock, s.holdTtl(), s.timeout(), s.replicas(),
                        s.breakerOpenFor());
        KeyStore keys = ServiceLoader.load(KeyStoreProvider.class).findFirst()
                .map(p -> p.open(config.database())).orElseGet(() -> {
                    LOG.warn("no key store module on the class path: app keys are kept in memory only");
                    return new InMemoryKeyStore();
                });
        return new Access(vertx, config, quotas, s.type() != StoreConfig.Type.MEMORY, keys, clock);
    }

    /** Gives a remote store up to 5 s at startup to connect, so the first requests need no fallback. */
    private static QuotaStore connected(QuotaStore store) {
        try {
            store.started().toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            LOG.warn("quota store not reachable at startup; limits use their fail policy until it is: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return store;
    }

    private static <P> P provider(Class<P> type, java.util.function.Predicate<P> fits, String module) {
        return ServiceLoader.load(type).stream().map(ServiceLoader.Provider::get).filter(fits).findFirst()
                .orElseThrow(() -> new IllegalStateException("gateway.store.type needs " + module
                        + " on the class path"));
    }

    /** Authentication on the request headers, run before the body is read. */
    public Authenticator authenticator(List<StaticKey> staticKeys) {
        return new Authenticator(staticKeys, resolver, jwt, config.callerHeader());
    }

    /**
     * The pipeline batch lines run through: the owner set on each line (an app key looked up again,
     * so a revoked key stops its queued work) and then {@code requestTier}, as a client's request.
     */
    public Pipeline batchLines(Pipeline requestTier, Clock clock) {
        return new Pipeline(List.of(new OwnerPolicy(id -> vertx.executeBlocking(() -> keyStore.findById(id), false),
                clock)), requestTier::run);
    }

    public Policy authorize() {
        return new AuthorizePolicy(config.jwt());
    }

    public Policy rateLimit() {
        return new RateLimitPolicy(requests, plan, clock);
    }

    /** Token and money limits, priced with {@code prices}; {@code backendsOf} lists a deployment's backends. */
    public Policy quota(PriceTable prices, Function<String, List<String>> backendsOf) {
        return new QuotaPolicy(quotas, plan, config.limits(), prices, backendsOf, clock);
    }

    public KeysAdminApi adminApi() {
        return new KeysAdminApi(vertx, keyService, config.adminKey());
    }

    /** The verifier of {@code gateway.jwt}'s tokens, when issuers are configured (console sign-in reuses it). */
    public Optional<JwtVerifier> jwtVerifier() {
        return jwt;
    }

    public KeyService keys() {
        return keyService;
    }

    @Override
    public void close() {
        quotas.close();
        keyStore.close();
    }
}
