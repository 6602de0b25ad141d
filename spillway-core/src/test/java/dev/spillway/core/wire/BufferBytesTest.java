package dev.spillway.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BufferBytesTest {
    private static byte[] range(BufferBytes b) {
        return Arrays.copyOfRange(b.array(), b.offset(), b.offset() + b.length());
    }

    @Test
    void heapBufferIsViewedWithoutACopy() {
        Buffer body = Buffer.buffer(64).appendString("{\"a\":1}").appendString(",tail");
        BufferBytes view = BufferBytes.of(body);
        assertThat(range(view)).isEqualTo(body.getBytes());
        assertThat(view.array()).isSameAs(((BufferInternal) body).unwrap().array());
    }

    @Test
    void viewOfASliceStartsAtTheSlice() {
        Buffer whole = Buffer.buffer("0123456789");
        Buffer slice = whole.slice(3, 7);
        assertThat(new String(range(BufferBytes.of(slice)), StandardCharsets.US_ASCII)).isEqualTo("3456");
    }

    @Test
    void directBufferIsCopied() {
        byte[] data = "direct".getBytes(StandardCharsets.US_ASCII);
        Buffer direct = BufferInternal.buffer(Unpooled.directBuffer(16).writeBytes(data));
        BufferBytes view = BufferBytes.of(direct);
        assertThat(range(view)).isEqualTo(data);
        assertThat(view.offset()).isZero();
    }
}
