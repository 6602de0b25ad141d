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
            RequestLimiter.of(new InMemoryQuotaStore(clock, Duration.ofMinutes(5)), false, clock), new LimitPlan(limits)));

    private static Exchange fromChat() {
        Exchange e = Exchanges.chat();
        e.caller(new Caller("k", "chat", "", "", ""));
        return e;
    }

    @Test
    void admittedRepliesSayHowManyRequestsAreLeft() {
        Reply r = harness.run(fromChat()).result();
        assertThat(r.headers().get("x-ratelimit-remaining-requests")).isEqualTo("1");
    }

    @Test
    void theRequestOverTheLimitIsA429WithRetryAfter() {
        harness.run(fromChat());
        harness.run(fromChat());
        Throwable refused = harness.run(fromChat()).cause();
        assertThat(refused).isInstanceOf(SpillwayException.RateLimited.class).hasMessageContaining("app:chat");
        assertThat(((SpillwayException.RateLimited) refused).retryAfter()).isPositive();
    }

    @Test
    void aCallerWithoutLimitsIsNotCounted() {
        Reply r = harness.run(Exchanges.chat()).result();
        assertThat(r.headers().get("x-ratelimit-remaining-requests")).isNull();
    }
}
