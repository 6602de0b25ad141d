package dev.spillway.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.DataSize;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CaffeineResponseCacheTest extends ResponseCacheContract {
    private final AtomicLong nanos = new AtomicLong();

    @Override
    protected ResponseCache newCache() {
        return new CaffeineResponseCache(DataSize.ofMebibytes(1), nanos::get);
    }

    @Override
    protected void pass(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void theStoreStaysWithinItsBytes() {
        CaffeineResponseCache small = new CaffeineResponseCache(DataSize.ofMebibytes(1), nanos::get);
        String text = "x".repeat(10_000);
        for (int i = 0; i < 500; i++) small.put(new CacheKey(ACME, "k" + i), answer(text), TTL);
        small.cleanUp();
        long kept = 0;
        for (int i = 0; i < 500; i++) if (small.get(new CacheKey(ACME, "k" + i)).toCompletableFuture().join().isPresent()) kept++;
        assertThat(kept * 10_000).isLessThanOrEqualTo(1024 * 1024).isGreaterThan(0);
    }
}
