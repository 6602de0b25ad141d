package dev.spillway.core.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(clock, 1);

    @Test
    void fiveFailuresAreFreeThenTheNameIsLockedForLongerEachTime() {
        for (int i = 0; i < 4; i++) throttle.failed("alice");
        assertThat(throttle.lockedFor("alice")).isEmpty();
        throttle.failed("alice");
        assertThat(throttle.lockedFor("alice")).contains(Duration.ofSeconds(2));
        clock.advance(Duration.ofSeconds(2));
        assertThat(throttle.lockedFor("alice")).isEmpty();
        throttle.failed("alice");
        assertThat(throttle.lockedFor("alice")).contains(Duration.ofSeconds(4));
        assertThat(throttle.lockedFor("bob")).isEmpty();
    }

    @Test
    void lockNeverExceedsFifteenMinutes() {
        assertThat(LoginThrottle.lock(100)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void successClearsTheFailures() {
        for (int i = 0; i < 5; i++) throttle.failed("alice");
        throttle.succeeded("alice");
        assertThat(throttle.lockedFor("alice")).isEmpty();
    }

    @Test
    void concurrentPasswordChecksAreCapped() {
        assertThat(throttle.tryStartCheck()).isTrue();
        assertThat(throttle.tryStartCheck()).isFalse();
        throttle.done();
        assertThat(throttle.tryStartCheck()).isTrue();
    }
}
