package dev.spillway.chat.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FollowUpStreamFilterTest {
    private final List<String> out = new ArrayList<>();
    private final FollowUpStreamFilter filter = new FollowUpStreamFilter(out::add);

    @Test
    void markerSplitAcrossDeltasIsHeldBack() {
        filter.accept("Answer text <");
        filter.accept("<Next question?>>");
        filter.finish();
        assertThat(String.join("", out)).isEqualTo("Answer text ");
    }

    @Test
    void loneAngleBracketIsReleased() {
        filter.accept("a < b");
        filter.accept(" and c <");
        filter.finish();
        assertThat(String.join("", out)).isEqualTo("a < b and c <");
    }
}
