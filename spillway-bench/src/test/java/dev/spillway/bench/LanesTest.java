package dev.spillway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LanesTest {
    @Test
    void clientsSplitIntoLanesOfAtMostPerLane() {
        Lanes lanes = new Lanes(600);
        assertThat(lanes.count()).isEqualTo(3);
        assertThat(List.of(lanes.capacity(0), lanes.capacity(1), lanes.capacity(2))).containsExactly(256, 256, 88);
        assertThat(new Lanes(1).count()).isEqualTo(1);
    }

    @Test
    void noLaneTakesMoreRequestsThanItHasConnections() {
        Lanes lanes = new Lanes(600);
        int[] taken = new int[lanes.count()];
        for (int i = 0; i < 600; i++) taken[lanes.acquire()]++;
        assertThat(taken).containsExactly(256, 256, 88);
        assertThatThrownBy(lanes::acquire).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aReleasedConnectionIsTakenAgainBeforeALaterLane() {
        Lanes lanes = new Lanes(600);
        List<Integer> first = new ArrayList<>();
        for (int i = 0; i < 300; i++) first.add(lanes.acquire());
        lanes.release(0);
        assertThat(lanes.acquire()).isZero();
        assertThat(lanes.acquire()).isEqualTo(1);
    }
}
