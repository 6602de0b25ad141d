package dev.spillway.gateway.route;

import dev.spillway.gateway.server.Lifecycle;
import dev.spillway.gateway.testkit.FakeStream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.FrontDoor;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.pipeline.Reply;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StreamTapTest {
    @Test
    void theTapSeesWhatACutStreamDeliveredWhileNoUsageIsReported() {
        List<String> seen = new ArrayList<>();
        Exchange e = new Exchange("r", Instant.EPOCH, 0, "POST", "/", MultiMap.caseInsensitiveMultiMap(),
                FrontDoor.OPENAI, Operation.CHAT_COMPLETIONS, "d", Optional.empty(), Buffer.buffer(), Lifecycle.COMPLETION_ORDER);
        FakeStream source = new FakeStream();
        Reply reply = new Reply(200, MultiMap.caseInsensitiveMultiMap(), new Reply.Body.Streamed(source, () -> { }));
        MeterPolicy meter = new MeterPolicy((exchange, frames) -> seen.add(frames.toString()));
        Reply metered = meter.apply(e, ex -> Future.succeededFuture(reply)).result();
        ((Reply.Body.Streamed) metered.body()).chunks().handler(b -> { });
        source.push("data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\ndata: {\"cho");
        assertThat(seen).containsExactly("data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n");
        assertThat(e.usage().reported()).isFalse();
    }
}
