package dev.spillway.gateway.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StrictUtf8Test {
    @Test
    void wellFormedTextInARangeIsValid() {
        byte[] bytes = "xx{\"t\":\"é€😀\"}xx".getBytes(StandardCharsets.UTF_8);
        assertThat(StrictUtf8.firstInvalid(bytes, 2, bytes.length - 4)).isEqualTo(-1);
    }

    @Test
    void firstInvalidByteIsCountedFromTheStartOfTheRange() {
        byte[] bytes = {(byte) 0xC0, 'a', 'b', (byte) 0xC0, (byte) 0xAF, 'c'};
        assertThat(StrictUtf8.firstInvalid(bytes, 1, 5)).isEqualTo(2);
        assertThat(StrictUtf8.firstInvalid(bytes, 0, 6)).isZero();
    }

    @Test
    void sequenceCutByTheEndOfTheRangeIsInvalidEvenIfTheArrayGoesOn() {
        byte[] euro = "a€".getBytes(StandardCharsets.UTF_8);
        assertThat(StrictUtf8.firstInvalid(euro, 0, euro.length - 1)).isEqualTo(1);
        assertThat(StrictUtf8.firstInvalid(euro, 0, euro.length)).isEqualTo(-1);
    }

    @Test
    void bytesOutsideTheRangeAreNotRead() {
        byte[] bytes = {(byte) 0xFF, 'o', 'k', (byte) 0xFF};
        assertThat(StrictUtf8.firstInvalid(bytes, 1, 2)).isEqualTo(-1);
    }
}
