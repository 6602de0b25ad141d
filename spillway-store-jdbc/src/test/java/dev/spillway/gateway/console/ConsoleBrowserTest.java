package dev.spillway.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import static dev.spillway.core.testkit.BrowserScript.CHROMIUM;
import static dev.spillway.core.testkit.BrowserScript.SHOTS;

import dev.spillway.core.testkit.BrowserScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

    @TempDir
    Path data;

    @Test
    void everyRoleUsesTheConsoleInChromium() throws Exception {
        BrowserScript.requireTools(SCRIPT_DIR);
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
            BrowserScript.Result r = BrowserScript.run(SCRIPT_DIR, List.of("node", "console.spec.mjs"), Map.of("BASE_URL", fixture.url(),
                    "ADMIN_KEY", ConsoleFixture.ADMIN_KEY, "VIEWER_KEY", ConsoleFixture.VIEWER_KEY,
                    "OWNER_TOKEN", fixture.token("alice", List.of()),
                    "SCREENSHOT_DIR", SHOTS.toAbsolutePath().toString(), "CHROMIUM", CHROMIUM.toString()));
            assertThat(r.output()).as(r.output()).contains("BROWSER TEST PASSED");
            assertThat(r.exitCode()).as(r.output()).isZero();
            assertThat(SHOTS.resolve("console-overview.png")).exists();
        }
    }

}
