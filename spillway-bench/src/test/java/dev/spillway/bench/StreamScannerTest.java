package dev.spillway.bench;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class StreamScannerTest {
    private static final String ROLE = "data: {\"choices\":[{\"delta\":{\"content\":\"\",\"role\":\"assistant\"}}]}\n\n";
    private static final String FINISH = "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n";
    private static final String USAGE = "data: {\"choices\":[],\"usage\":{\"completion_tokens\":3,\"prompt_tokens\":9}}\n\n";

    private static String content(String text) {
        return "data: {\"choices\":[{\"content_filter_results\":{},\"delta\":{\"content\":\"" + text + "\"}}]}\n\n";
    }

    private static void feed(StreamScanner s, String text, long nanos) {
        s.feed(text.getBytes(StandardCharsets.UTF_8), nanos);
    }

    @Test
    void firstContentAndMeanGapComeFromContentFramesOnly() {
        StreamScanner s = new StreamScanner();
        feed(s, "data: " + FakeAzureServer.PROMPT_FILTER + "\n\n", 0);
        feed(s, ROLE, 10);
        feed(s, content("Hel"), 100);
        feed(s, content("lo"), 130);
        feed(s, content("!"), 160);
        feed(s, FINISH + USAGE + "data: [DONE]\n\n", 170);

        assertThat(s.firstContentNanos()).contains(100L);
        assertThat(s.meanGapNanos()).contains(30L);
        assertThat(s.contentFrames()).isEqualTo(3);
        assertThat(s.usage()).contains(new Usage(9, 3));
        assertThat(s.completedCleanly()).isTrue();
    }

    @Test
    void framesSplitAcrossChunksAreTimedWhenTheirLineCompletes() {
        String frame = content("split");
        StreamScanner s = new StreamScanner();
        feed(s, frame.substring(0, 17), 5);
        feed(s, frame.substring(17, 40), 6);
        feed(s, frame.substring(40) + "data: [DO", 7);
        feed(s, "NE]\r\n\r\n", 8);

        assertThat(s.firstContentNanos()).contains(7L);
        assertThat(s.contentFrames()).isEqualTo(1);
        assertThat(s.completedCleanly()).isTrue();
    }

    @Test
    void toolCallFragmentsCountAsContent() {
        StreamScanner s = new StreamScanner();
        feed(s, "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\"}}]}}]}\n\n", 4);

        assertThat(s.firstContentNanos()).contains(4L);
    }

    @Test
    void errorEventMakesTheStreamUnclean() {
        StreamScanner s = new StreamScanner();
        feed(s, content("a") + "event: error\ndata: {\"error\":{\"message\":\"upstream broke\"}}\n\ndata: [DONE]\n\n", 1);

        assertThat(s.completedCleanly()).isFalse();
    }

    @Test
    void streamWithoutDoneIsUnclean() {
        StreamScanner s = new StreamScanner();
        feed(s, content("a") + FINISH, 1);

        assertThat(s.completedCleanly()).isFalse();
        assertThat(s.meanGapNanos()).isEmpty();
    }
}
