package dev.spillway.gateway.access.limit;

import dev.spillway.gateway.testkit.FakeClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestLimiterTest {
    private final FakeClock clock = new FakeClock(Instant.parse("2026-11-21T10:15:10Z"));
    private final Limit key = new Limit("key:k", Metric.REQUESTS, Window.MINUTE, 3, FailMode.LOCAL_FALLBACK);
    private final Limit app = new Limit("app:a", Metric.REQUESTS, Window.MINUTE, 2, FailMode.LOCAL_FALLBACK);

    private Admission acquire(RequestLimiter limiter, String id, Limit... limits) {
        return limiter.acquire(id, List.of(limits)).toCompletableFuture().join();
    }

    @Test
    void theBucketAdmitsTheLimitThenRefusesWithTheTimeUntilTheNextToken() {
        RequestLimiter limiter = new BucketRequestLimiter(clock);
        for (int i = 0; i < 3; i++) assertThat(acquire(limiter, "r" + i, key)).isInstanceOf(Admission.Granted.class);
        Admission refused = acquire(limiter, "r4", key);
        assertThat(refused).isInstanceOf(Admission.Denied.class);
        assertThat(((Admission.Denied) refused).retryAfter()).isEqualTo(Duration.ofSeconds(20));
        clock.advance(Duration.ofSeconds(20));
        assertThat(acquire(limiter, "r5", key)).isInstanceOf(Admission.Granted.class);
    }

    @Test
    void aRefusalByOneLimitGivesBackWhatTheOthersTook() {
        RequestLimiter limiter = new BucketRequestLimiter(clock);
        acquire(limiter, "r1", app);
        acquire(limiter, "r2", app);
        assertThat(acquire(limiter, "r3", key, app)).isInstanceOf(Admission.Denied.class);
        for (int i = 0; i < 3; i++) assertThat(acquire(limiter, "k" + i, key)).isInstanceOf(Admission.Granted.class);
    }

    @Test
    void theStoreLimiterCountsEveryRequestInTheSharedStore() {
        RequestLimiter limiter = new StoreRequestLimiter(new InMemoryQuotaStore(clock, Duration.ofMinutes(5)));
        acquire(limiter, "r1", app);
        Admission.Granted second = (Admission.Granted) acquire(limiter, "r2", app);
        assertThat(second.remaining()).containsEntry(Metric.REQUESTS, 0L);
        assertThat(acquire(limiter, "r3", app)).isInstanceOf(Admission.Denied.class);
    }
}
