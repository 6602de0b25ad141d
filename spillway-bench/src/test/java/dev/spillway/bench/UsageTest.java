package dev.spillway.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UsageTest {
    @Test
    void findsUsageInANonStreamBodyWhateverTheKeyOrder() {
        String body = "{\"choices\":[],\"usage\":{\"completion_tokens\":12,\"prompt_tokens\":340,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":0},\"total_tokens\":352}}";

        assertThat(Usage.find(body)).contains(new Usage(340, 12));
    }

    @Test
    void readsTheSimulatorsUsageFrameWithItsDetailObjects() {
        String frame = "{\"choices\":[],\"object\":\"chat.completion.chunk\",\"usage\":{\"completion_tokens\":5,"
                + "\"completion_tokens_details\":{\"accepted_prediction_tokens\":0,\"audio_tokens\":0,"
                + "\"reasoning_tokens\":0,\"rejected_prediction_tokens\":0},\"prompt_tokens\":17,"
                + "\"prompt_tokens_details\":{\"audio_tokens\":0,\"cached_tokens\":0},\"total_tokens\":22}}";

        assertThat(Usage.find(frame)).contains(new Usage(17, 5));
    }

    @Test
    void nullUsageIsNoUsage() {
        assertThat(Usage.find("{\"choices\":[{\"delta\":{}}],\"usage\":null}")).isEmpty();
    }

    @Test
    void spacedJsonIsRead() {
        assertThat(Usage.find("{\"usage\": {\"prompt_tokens\": 5, \"completion_tokens\": 2}}")).contains(new Usage(5, 2));
    }
}
