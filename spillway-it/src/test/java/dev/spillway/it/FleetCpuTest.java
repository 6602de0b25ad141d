package dev.spillway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link FleetCpu}, the fleet test's CPU table, on real processes (shells that spin, then sleep). */
class FleetCpuTest {
    private final List<Process> started = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : started) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** A shell that spins for a while and then sleeps; returns once it sleeps (its CPU time stays). */
    private Process spunThenIdle() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; sleep 60")
                .start();
        started.add(p);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Duration last = Duration.ZERO;
        while (System.nanoTime() < until) {
            Thread.sleep(200);
            Duration now = p.info().totalCpuDuration().orElse(Duration.ZERO);
            if (now.isPositive() && now.equals(last)) break;
            last = now;
        }
        return p;
    }

    @Test
    void aProcessFirstSeenAfterTheFirstSampleAndKilledLaterKeepsAllItsTime() throws Exception {
        List<Long> pids = new CopyOnWriteArrayList<>();
        FleetCpu cpu = new FleetCpu().group("replica", () -> pids);
        cpu.sample(); // nothing in the group yet: the restarted replica is not born
        Process replica = spunThenIdle();
        pids.add(replica.pid());
        Duration used = replica.info().totalCpuDuration().orElseThrow();
        cpu.sample(); // just before the kill
        replica.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        pids.clear();
        cpu.sample(); // the end

        assertThat(used).isPositive();
        assertThat(cpu.seconds().get("replica")).isGreaterThanOrEqualTo(used.toNanos() / 1e9);
    }

    @Test
    void aProcessAlreadyRunningCountsOnlyFromTheFirstSample() throws Exception {
        Process server = spunThenIdle();
        Duration before = server.info().totalCpuDuration().orElseThrow();
        FleetCpu cpu = new FleetCpu().group("server", () -> List.of(server.pid()));
        cpu.sample();
        cpu.sample();

        assertThat(before).isPositive();
        assertThat(cpu.seconds().get("server")).isZero(); // it slept between the samples
    }

    @Test
    void theTableSumsTheGroupsAndShowsPartsWithoutAddingThemAgain() {
        FleetCpu cpu = new FleetCpu().group("test JVM", () -> List.of(ProcessHandle.current().pid()))
                .group("none", List::of);
        cpu.sample();
        cpu.sample();
        double jvm = cpu.seconds().get("test JVM");
        String table = cpu.table(1_000, Duration.ofSeconds(10), new long[0], new long[0], Map.of("client", 99.0));

        assertThat(table).contains(String.format(java.util.Locale.ROOT, "| **all of the above** | %.1f |", jvm))
                .contains("| of which client | 99.0 | 99.000 | 9.90 |")
                .doesNotContain("whole box");
    }
}
