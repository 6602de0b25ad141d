package dev.spillway.store.redis;

import dev.spillway.gateway.cache.CacheKey;
import dev.spillway.gateway.cache.CachePurge;
import dev.spillway.gateway.cache.CachedAnswer;
import dev.spillway.gateway.cache.ResponseCache;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The response cache every replica shares: one Redis string per answer, written with its TTL in one
 * {@code SET ... PX}, under {@code <prefix>cache:<app digest>:<partition id>:<request hash>} (the
 * app is digested so a name with {@code :} or glob characters cannot widen a purge). A purge scans
 * that prefix and unlinks what it finds. Every command has the store's short timeout; a failure
 * completes the stage exceptionally and the gateway answers as a miss. Thread-safe.
 */
public final class RedisResponseCache implements ResponseCache {
    private static final int SCAN_BATCH = 500;
    private final RedisConnector redis;
    private final String prefix;

    public RedisResponseCache(String url, Duration timeout, String keyPrefix) {
        this.redis = new RedisConnector(url, timeout);
        this.prefix = keyPrefix + "cache:";
    }

    @Override
    public CompletionStage<Optional<CachedAnswer>> get(CacheKey key) {
        return redis.commands().thenCompose(c -> c.get(key(key))).thenApply(v -> Optional.ofNullable(v).map(RedisResponseCache::decode));
    }

    @Override
    public CompletionStage<Void> put(CacheKey key, CachedAnswer answer, Duration ttl) {
        return redis.commands().thenCompose(c -> c.set(key(key), encode(answer), SetArgs.Builder.px(ttl.toMillis())))
                .thenApply(ok -> null);
    }

    @Override
    public CompletionStage<Long> purge(CachePurge scope) {
        String pattern = prefix + digest(scope.app()) + ":" + scope.partition().map(p -> p + ":").orElse("") + "*";
        return redis.commands().thenCompose(c -> scan(c, ScanCursor.INITIAL, ScanArgs.Builder.matches(pattern)
                .limit(SCAN_BATCH), 0));
    }

    private CompletionStage<Long> scan(RedisAsyncCommands<String, String> c, ScanCursor cursor, ScanArgs args, long removed) {
        return c.scan(cursor, args).thenCompose(page -> unlink(c, page).thenCompose(n -> page.isFinished()
                ? CompletableFuture.completedFuture(removed + n) : scan(c, page, args, removed + n)));
    }

    private static CompletionStage<Long> unlink(RedisAsyncCommands<String, String> c, KeyScanCursor<String> page) {
        if (page.getKeys().isEmpty()) return CompletableFuture.completedFuture(0L);
        return c.unlink(page.getKeys().toArray(String[]::new));
    }

    String key(CacheKey key) {
        return prefix + digest(key.partition().app()) + ":" + key.partition().id() + ":" + key.request();
    }

    /** {@code backend \n prompt tokens \n completion tokens \n completion JSON}. */
    static String encode(CachedAnswer a) {
        return a.backend() + "\n" + a.promptTokens() + "\n" + a.completionTokens() + "\n"
                + new String(a.completion(), StandardCharsets.UTF_8);
    }

    static CachedAnswer decode(String value) {
        int b = value.indexOf('\n');
        int p = value.indexOf('\n', b + 1);
        int t = value.indexOf('\n', p + 1);
        return new CachedAnswer(value.substring(t + 1).getBytes(StandardCharsets.UTF_8), value.substring(0, b),
                Long.parseLong(value.substring(b + 1, p)), Long.parseLong(value.substring(p + 1, t)));
    }

    private static String digest(String app) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(app.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public void close() {
        redis.close();
    }
}
