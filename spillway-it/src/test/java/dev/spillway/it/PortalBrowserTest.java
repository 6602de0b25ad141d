package dev.spillway.it;

import static dev.spillway.core.testkit.BrowserScript.CHROMIUM;
import static dev.spillway.core.testkit.BrowserScript.SHOTS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.testkit.BrowserScript;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The developer portal in headless Chromium through playwright-core ({@code src/test/portal}):
 * the reference, try-it with the reader's real key against the simulator (Azure and OpenAI
 * styles), the "My app" panel, the code samples, keyboard use and a phone-size screen. Needs
 * {@code node} and Debian's {@code /usr/bin/chromium}; skips loudly without them, fails under
 * CI=true. Screenshots land in target/browser-screenshots (docs/portal.md shows them).
 */
class PortalBrowserTest {
    @Test
    void readerTriesTheApiWithTheirKeyAndSeesTheirApp() throws Exception {
        Requirements.require(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing (apt-get install -y chromium)");
        Requirements.require(Requirements.commandWorks("node", "--version"), "node is not installed (apt-get install nodejs)");
        PortalGateway.requireNodePackages();
        Files.createDirectories(SHOTS);
        try (PortalGateway stack = new PortalGateway()) {
            String key = stack.issueKey("browser-key");
            BrowserScript.Result r = BrowserScript.run(PortalGateway.NODE_DIR, List.of("node", "portal.spec.mjs"),
                    Map.of("BASE_URL", stack.url(), "APP_KEY", key,
                            "SCREENSHOT_DIR", SHOTS.toAbsolutePath().toString(), "CHROMIUM", CHROMIUM.toString()));
            System.out.println(r.output());
            assertThat(r.output()).as(r.output()).contains("PORTAL BROWSER TEST PASSED");
            assertThat(r.exitCode()).as(r.output()).isZero();
            assertThat(SHOTS.resolve("portal-try-it.png")).exists();
        }
    }
}
