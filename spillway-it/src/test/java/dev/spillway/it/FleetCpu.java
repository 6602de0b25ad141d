package dev.spillway.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Where the fleet test's CPU goes: the CPU time each group of processes (the gateways, the test
 * JVM with the client and the simulator, Redis, the PostgreSQL backends serving the test's
 * database, RabbitMQ) used between two points of the run, read from the OS per process. Call
 * {@link #sample} at the start, just before a process of a group is killed or stopped (its time is
 * kept), and at the end. A process first seen after the first sample counts all its time (the
 * restarted replica and Redis, a new database connection), so a group must list at the first
 * sample every process it has then. Not thread-safe; one per run.
 */
final class FleetCpu {
    private final Map<String, Supplier<List<Long>>> groups = new LinkedHashMap<>();
    private final Map<Long, Duration> first = new HashMap<>();
    private final Map<Long, Duration> last = new HashMap<>();
    private final Map<Long, String> groupOf = new HashMap<>();
    private boolean sampled;

    /** Adds a group whose processes {@code pids} lists at each sample. */
    FleetCpu group(String name, Supplier<List<Long>> pids) {
        groups.put(name, pids);
        return this;
    }

    void sample() {
        boolean initial = !sampled;
        sampled = true;
        groups.forEach((name, pids) -> {
            for (long pid : pids.get()) {
                cpu(pid).ifPresent(d -> {
                    first.putIfAbsent(pid, initial ? d : Duration.ZERO);
                    last.put(pid, d);
                    groupOf.put(pid, name);
                });
            }
        });
    }

    private static Optional<Duration> cpu(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration());
    }

    /** CPU seconds per group since the first sample, in the order the groups were added. */
    Map<String, Double> seconds() {
        Map<String, Double> s = new LinkedHashMap<>();
        groups.keySet().forEach(g -> s.put(g, 0.0));
        last.forEach((pid, d) -> s.merge(groupOf.get(pid), d.minus(first.get(pid)).toNanos() / 1e9, Double::sum));
        return s;
    }

    /** The processes whose command line contains {@code part} (for servers the test did not start). */
    static List<Long> commandsContaining(String part) {
        return ProcessHandle.allProcesses().filter(h -> h.info().commandLine().orElse("").contains(part))
                .map(ProcessHandle::pid).toList();
    }

    /** CPU time of all processors, busy or idle, from {@code /proc/stat} (jiffies; empty if unreadable). */
    static long[] boxJiffies() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/stat"))) {
            String[] f = lines.findFirst().orElse("").trim().split("\\s+");
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) total += Long.parseLong(f[i]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[0];
        }
    }

    /**
     * The Markdown rows: CPU seconds, per 1,000 requests sent and in cores, for {@code requests} over
     * {@code over}; {@code parts} are shown after the groups as parts of them (not added again).
     */
    String table(long requests, Duration over, long[] boxFrom, long[] boxTo, Map<String, Double> parts) {
        StringBuilder t = new StringBuilder("| process | CPU-s | CPU-s per 1,000 requests | cores |\n|---|---|---|---|\n");
        double secs = over.toMillis() / 1000.0;
        double sum = 0;
        for (Map.Entry<String, Double> e : seconds().entrySet()) {
            sum += e.getValue();
            t.append(row(e.getKey(), e.getValue(), requests, secs));
        }
        parts.forEach((name, cpu) -> t.append(row("of which " + name, cpu, requests, secs)));
        t.append(row("**all of the above**", sum, requests, secs));
        if (boxFrom.length == 2 && boxTo.length == 2) {
            double busy = (boxTo[0] - boxFrom[0]) / 100.0; // USER_HZ, 100 on Linux
            t.append(row("the whole box, busy (anything else included)", busy, requests, secs));
        }
        return t.toString();
    }

    private static String row(String name, double cpu, long requests, double secs) {
        return String.format(Locale.ROOT, "| %s | %.1f | %.3f | %.2f |%n", name, cpu,
                requests == 0 ? Double.NaN : 1000 * cpu / requests, cpu / secs);
    }
}
