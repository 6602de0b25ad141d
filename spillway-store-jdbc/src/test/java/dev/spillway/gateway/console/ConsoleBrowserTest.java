package dev.spillway.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the operator's console in headless Chromium through playwright-core
 * ({@code src/test/browser/console.spec.mjs}) against a real gateway with real traffic in its
 * ledger, rollups and audit ({@link ConsoleFixture}): sign-in per role, every page, a viewer's
 * changes refused, create and revoke, keyboard use and a phone-sized screen. Saves the screenshots
 * docs/console.md shows in target/browser-screenshots. Needs {@code node} and Debian's
 * {@code /usr/bin/chromium}; skips loudly without them, fails instead when CI=true.
 */
class ConsoleBrowserTest {
    private static final Path SCRIPT_DIR = Path.of("src/test/browser");
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final Path SHOTS = Path.of("target/browser-screenshots");

    @TempDir
    Path data;

    @Test
    void everyRoleUsesTheConsoleInChromium() throws Exception {
        requireTools();
        try (ConsoleFixture fixture = new ConsoleFixture(data)) {
            fixture.traffic();
            Files.createDirectories(SHOTS);
            // utilization is sampled every few seconds: let the charts have a reading before the browser looks
            ConsoleClient probe = new ConsoleClient(fixture.url());
            probe.signIn("key", ConsoleFixture.ADMIN_KEY);
            ConsoleIntegrationTest.eventually(() -> probe.json("api/overview"), o -> o.path("utilization").has("ptu"));
            String month = java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString();
            ConsoleIntegrationTest.eventually(() -> probe.json("api/usage?by=app&period=" + month),
                    u -> u.path("total").path("requests").asLong() == 11); // the ledger's spool has drained
            Result r = run(SCRIPT_DIR, List.of("node", "console.spec.mjs"), Map.of("BASE_URL", fixture.url(),
                    "ADMIN_KEY", ConsoleFixture.ADMIN_KEY, "VIEWER_KEY", ConsoleFixture.VIEWER_KEY,
                    "OWNER_TOKEN", fixture.token("alice", List.of()),
                    "SCREENSHOT_DIR", SHOTS.toAbsolutePath().toString(), "CHROMIUM", CHROMIUM.toString()));
            assertThat(r.output()).as(r.output()).contains("BROWSER TEST PASSED");
            assertThat(r.exitCode()).as(r.output()).isZero();
            assertThat(SHOTS.resolve("console-overview.png")).exists();
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static void requireTools() throws Exception {
        String missing = !Files.isExecutable(CHROMIUM) ? CHROMIUM + " is missing (apt-get install -y chromium)"
                : run(SCRIPT_DIR, List.of("node", "--version"), Map.of()).exitCode() != 0 ? "node is missing" : "";
        if (missing.isEmpty() && !Files.isDirectory(SCRIPT_DIR.resolve("node_modules/playwright-core"))) {
            Result ci = run(SCRIPT_DIR, List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of());
            if (ci.exitCode() != 0) missing = "npm ci failed in " + SCRIPT_DIR + ":\n" + ci.output();
        }
        if (missing.isEmpty()) return;
        if ("true".equals(System.getenv("CI"))) fail("browser test cannot run: " + missing);
        Assumptions.abort("SKIPPING BROWSER TEST: " + missing);
    }

    private static Result run(Path cwd, List<String> command, Map<String, String> env) throws Exception {
        Process p;
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
            pb.environment().putAll(env);
            p = pb.start();
        } catch (IOException e) {
            return new Result(127, e.getMessage());
        }
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "timed out after 180 s:\n" + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
