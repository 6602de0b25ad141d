package dev.spillway.gateway.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LanePathsTest {
    @Test
    void filesAndBatchesRoutesAreTheBatchApis() {
        for (String p : List.of("/v1/files", "/v1/files/file-1", "/v1/files/file-1/content", "/openai/v1/batches",
                "/openai/batches/b-1/cancel", "/openai/files/", "/v1/batches/b-1")) {
            assertThat(BatchApi.owns(p)).as(p).isTrue();
        }
        for (String p : List.of("/openai/deployments/files/chat/completions", "/v1/chat/completions", "/files",
                "/v2/files", "/v1/filesx", "/openai/v1/files/a/b/c", "/v1/queue/requests")) {
            assertThat(BatchApi.owns(p)).as(p).isFalse();
        }
    }

    @Test
    void queueRoutesAreTheQueueApis() {
        for (String p : List.of("/v1/queue/requests", "/openai/v1/queue/requests/", "/v1/queue/replies/r-1",
                "/openai/v1/queue/replies/r-1/ack")) {
            assertThat(RequestQueueApi.owns(p)).as(p).isTrue();
        }
        for (String p : List.of("/v1/queue", "/openai/queue/requests", "/v1/queue/other", "/v1/chat/completions",
                "/openai/deployments/queue/chat/completions", "/v1/queue/replies/a/b")) {
            assertThat(RequestQueueApi.owns(p)).as(p).isFalse();
        }
    }
}
