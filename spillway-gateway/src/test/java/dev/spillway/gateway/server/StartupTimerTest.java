package dev.spillway.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StartupTimerTest {
    @Test
    void summaryNamesEachPhaseInOrderWithItsMilliseconds() throws InterruptedException {
        StartupTimer timer = new StartupTimer();
        timer.phase("access");
        Thread.sleep(30);
        timer.phased("accounting").phase("listen");
        String line = timer.summary();
        assertThat(line).startsWith("gateway started in ").contains("(process start to listening ")
                .containsSubsequence("access ", "accounting ", "listen ");
        long accounting = Long.parseLong(line.replaceAll(".*accounting (\\d+).*", "$1"));
        assertThat(accounting).isGreaterThanOrEqualTo(30);
    }
}
