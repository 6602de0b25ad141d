package dev.spillway.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import org.junit.jupiter.api.Test;

class BodyBuffersTest {
    private static int capacity(Buffer b) {
        return ((BufferInternal) b).unwrap().capacity();
    }

    @Test
    void declaredBodyFitsWithoutGrowing() {
        Buffer body = BodyBuffers.sizedFor(1024);
        assertThat(capacity(body)).isEqualTo(1024);
        body.appendBytes(new byte[600]).appendBytes(new byte[424]);
        assertThat(capacity(body)).isEqualTo(1024);
        assertThat(body.length()).isEqualTo(1024);
    }

    @Test
    void largeDeclarationsAreCappedAndTheBufferStillGrowsToHoldTheBody() {
        Buffer body = BodyBuffers.sizedFor(50L * 1024 * 1024);
        assertThat(capacity(body)).isEqualTo(BodyBuffers.MAX_PRESIZE);
        body.appendBytes(new byte[BodyBuffers.MAX_PRESIZE + 1]);
        assertThat(body.length()).isEqualTo(BodyBuffers.MAX_PRESIZE + 1);
    }

    @Test
    void unknownOrInvalidLengthsGiveAnEmptyDefaultBuffer() {
        assertThat(BodyBuffers.declaredLength(null)).isEqualTo(-1);
        assertThat(BodyBuffers.declaredLength("12x")).isEqualTo(-1);
        assertThat(BodyBuffers.declaredLength(" 12 ")).isEqualTo(12);
        assertThat(capacity(BodyBuffers.sizedFor(-1))).isEqualTo(capacity(Buffer.buffer()));
        assertThat(BodyBuffers.sizedFor(0).length()).isZero();
    }
}
