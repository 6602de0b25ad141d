package dev.spillway.gateway.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.testkit.FakeClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The lane's concurrency sized from headroom readings, on a fake clock: AIMD between min and max. */
class LaneConcurrencyTest {
    final FakeClock clock = new FakeClock();
    final LaneConcurrency slots = new LaneConcurrency(1, 64, 95, clock);

    /** One round a second with the lane wanting more slots than it had. */
    void busyRound(boolean room, double utilization) {
        slots.limited();
        slots.round(room, utilization);
        clock.advance(Duration.ofSeconds(1));
    }

    @Test
    void itDoublesWhileThePtuHasRoomAndTheLaneWantsMoreButNeverPassesMaxInFlight() {
        for (int i = 0; i < 10; i++) busyRound(true, 10);
        assertThat(slots.limit()).isEqualTo(64);
    }

    @Test
    void itDoesNotGrowWhenTheLaneDidNotUseItsSlots() {
        for (int i = 0; i < 5; i++) {
            slots.round(true, 10);
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(slots.limit()).isEqualTo(1);
    }

    @Test
    void itGrowsAtMostOnceASecondWhateverThePollInterval() {
        for (int i = 0; i < 10; i++) {
            slots.limited();
            slots.round(true, 10);
            clock.advance(Duration.ofMillis(200));
        }
        assertThat(slots.limit()).isEqualTo(4); // at 0 s, 1 s (and 2 s is not reached yet)
    }

    @Test
    void aThrottledRequestHalvesTheLimitOncePerBurstAndGrowthIsThenOneAtATime() {
        for (int i = 0; i < 5; i++) busyRound(true, 10);
        assertThat(slots.limit()).isEqualTo(32);
        slots.throttled();
        slots.throttled();
        slots.throttled();
        assertThat(slots.limit()).isEqualTo(16);
        clock.advance(Duration.ofSeconds(1));
        busyRound(true, 10);
        busyRound(true, 10);
        assertThat(slots.limit()).isEqualTo(18);
    }

    @Test
    void anInteractiveRequestWaitingHalvesItDownToMinInFlight() {
        for (int i = 0; i < 4; i++) busyRound(true, 10);
        assertThat(slots.limit()).isEqualTo(16);
        busyRound(false, 10);
        assertThat(slots.limit()).isEqualTo(8);
        for (int i = 0; i < 10; i++) busyRound(false, 10);
        assertThat(slots.limit()).isEqualTo(1);
    }

    @Test
    void itShrinksWhileUtilizationNearsTheCeilingAndClimbsButHoldsInTheBandWhileItFalls() {
        for (int i = 0; i < 5; i++) busyRound(true, 10);
        assertThat(slots.limit()).isEqualTo(32);
        busyRound(true, 92.0);
        busyRound(true, 93.5);
        assertThat(slots.limit()).as("near the ceiling (95) and rising slowly: a fifth less").isEqualTo(25);
        busyRound(true, 93.8);
        assertThat(slots.limit()).isEqualTo(20);
        busyRound(true, 92.5);
        busyRound(true, 91.0);
        assertThat(slots.limit()).as("in the band and falling: hold").isEqualTo(20);
        busyRound(true, 84.0);
        assertThat(slots.limit()).as("under the band, falling: one more").isEqualTo(21);
    }

    @Test
    void overTheCeilingItShrinksWhileTheBucketClimbsAndHoldsWhileItDrains() {
        for (int i = 0; i < 5; i++) busyRound(true, 10);
        busyRound(true, 80);
        busyRound(true, 90.5);
        assertThat(slots.limit()).isEqualTo(32);
        busyRound(false, 95.5);
        assertThat(slots.limit()).as("over the ceiling, climbing fast: half").isEqualTo(16);
        busyRound(false, 96.0);
        assertThat(slots.limit()).as("over the ceiling, climbing slowly: a fifth less").isEqualTo(12);
        busyRound(false, 95.8);
        busyRound(false, 95.2);
        assertThat(slots.limit()).as("over the ceiling, draining").isEqualTo(12);
    }

    @Test
    void itStopsGrowingWhenTheBucketWouldReachTheBandWithinTenSeconds() {
        for (int i = 0; i < 4; i++) busyRound(true, 10);
        assertThat(slots.limit()).isEqualTo(16);
        busyRound(true, 70);
        busyRound(true, 71.5);
        assertThat(slots.limit()).as("1.5 points a second from 71.5 reaches 86.5: grow").isEqualTo(17);
        busyRound(true, 73.4);
        assertThat(slots.limit()).as("1.9 points a second from 73.4 would pass 90 within ten seconds").isEqualTo(17);
    }

    @Test
    void onceTheBucketStartsToFillSlowStartEndsAndItGrowsOneSlotAtATime() {
        for (int i = 0; i < 3; i++) busyRound(true, 0);
        assertThat(slots.limit()).isEqualTo(8);
        busyRound(true, 0.5);
        busyRound(true, 1.0);
        assertThat(slots.limit()).isEqualTo(10);
    }

    @Test
    void climbingFastNearTheCeilingHalvesIt() {
        for (int i = 0; i < 5; i++) busyRound(true, 0);
        busyRound(true, 93.5);
        assertThat(slots.limit()).isEqualTo(16);
    }

    @Test
    void itStopsGrowingWhileTheBucketFillsFasterThanTwoPointsASecond() {
        for (int i = 0; i < 4; i++) busyRound(true, 10 + i * 0.1);
        int before = slots.limit();
        busyRound(true, 20);
        busyRound(true, 30);
        assertThat(slots.limit()).isEqualTo(before);
    }

    @Test
    void freeSlotsAreTheLimitLessWhatRunsAndMinEqualToMaxIsFixed() {
        LaneConcurrency fixed = new LaneConcurrency(8, 8, 90, clock);
        fixed.acquired(3);
        assertThat(fixed.free()).isEqualTo(5);
        fixed.throttled();
        fixed.limited();
        fixed.round(true, 10);
        assertThat(fixed.limit()).isEqualTo(8);
        fixed.released();
        assertThat(fixed.free()).isEqualTo(6);
    }
}
