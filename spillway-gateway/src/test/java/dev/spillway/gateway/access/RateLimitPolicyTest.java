package dev.spillway.gateway.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.access.keys.KeyLimits;
import dev.spillway.gateway.access.limit.FailMode;
import dev.spillway.gateway.access.limit.InMemoryQuotaStore;
import dev.spillway.gateway.access.limit.LimitPlan;
import dev.spillway.gateway.access.limit.LimitsConfig;
import dev.spillway.gateway.access.limit.RequestLimiter;
import dev.spillway.gateway.pipeline.Caller;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Reply;
import dev.spillway.gateway.testkit.Exchanges;
import dev.spillway.gateway.testkit.FakeClock;
import dev.spillway.gateway.testkit.PolicyHarness;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The requests-per-minute policy alone, on the embedded limiter. */
class RateLimitPolicyTest {
    final FakeClock clock = new FakeClock(Exchanges.RECEIVED);
    final LimitsConfig limits = new LimitsConfig(256, 4096, FailMode.LOCAL_FALLBACK, FailMode.CLOSED, FailMode.CLOSED,
            Map.of("chat", new KeyLimits(OptionalLong.of(2), OptionalLong.empty(), OptionalLong.empty(),
                    OptionalLong.empty(), Optional.empty())), Map.of(), Map.of());
    final PolicyHarness harness = new PolicyHarness(new RateLimitPolicy(
            RequestLimiter.of(new InMemoryQuotaStore(clock, Duration.ofMinutes(5)), false, clock), new LimitPlan(limits),
            clock));

    private static Exchange fromChat() {
        Exchange e = Exchanges.chat();
        e.caller(new Caller("k", "chat", "", "", ""));
        return e;
    }

    private static Reply fromBackend(String limit, String remaining, String reset) {
        Reply r = Reply.json(200, Buffer.buffer("{}"));
        r.headers().set("x-ratelimit-limit-requests", limit).set("x-ratelimit-remaining-requests", remaining)
                .set("x-ratelimit-reset-requests", reset);
        return r;
    }

    @Test
    void whenTheKeyHasLessLeftAllThreeHeadersAreTheKeys() {
        clock.advance(Duration.ofSeconds(20)); // 10:15:30, 30 s before the minute resets
        Reply r = harness.answers(fromBackend("1666", "1665", "10")).run(fromChat()).result();
        assertThat(r.headers().get("x-ratelimit-limit-requests")).isEqualTo("2");
        assertThat(r.headers().get("x-ratelimit-remaining-requests")).isEqualTo("1");
        assertThat(r.headers().get("x-ratelimit-reset-requests")).isEqualTo("30");
    }

    @Test
    void whenTheBackendHasLessLeftItsTrioPassesWhole() {
        Reply r = harness.answers(fromBackend("10", "0", "7")).run(fromChat()).result();
        assertThat(r.headers().get("x-ratelimit-limit-requests")).isEqualTo("10");
        assertThat(r.headers().get("x-ratelimit-remaining-requests")).isEqualTo("0");
        assertThat(r.headers().get("x-ratelimit-reset-requests")).isEqualTo("7");
    }

    @Test
    void theRequestOverTheLimitIsA429WithRetryAfter() {
        harness.run(fromChat());
        harness.run(fromChat());
        Throwable refused = harness.run(fromChat()).cause();
        assertThat(refused).isInstanceOf(SpillwayException.RateLimited.class).hasMessageContaining("app:chat");
        assertThat(((SpillwayException.RateLimited) refused).retryAfter()).isPositive();
        assertThat(((SpillwayException.RateLimited) refused).headers())
                .containsEntry("x-ratelimit-limit-requests", "2").containsEntry("x-ratelimit-remaining-requests", "0")
                .containsKey("x-ratelimit-reset-requests");
    }

    @Test
    void aCallerWithoutLimitsIsNotCounted() {
        Reply r = harness.run(Exchanges.chat()).result();
        assertThat(r.headers().get("x-ratelimit-remaining-requests")).isNull();
    }
}
