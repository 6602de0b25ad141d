package dev.spillway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The developer portal in headless Chromium through playwright-core ({@code src/test/portal}):
 * the reference, try-it with the reader's real key against the simulator (Azure and OpenAI
 * styles), the "My app" panel, the code samples, keyboard use and a phone-size screen. Needs
 * {@code node} and Debian's {@code /usr/bin/chromium}; skips loudly without them, fails under
 * CI=true. Screenshots land in target/browser-screenshots (docs/portal.md shows them).
 */
class PortalBrowserTest {
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final Path SHOTS = Path.of("target/browser-screenshots");

    @Test
    void readerTriesTheApiWithTheirKeyAndSeesTheirApp() throws Exception {
        Requirements.require(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing (apt-get install -y chromium)");
        Requirements.require(Requirements.commandWorks("node", "--version"), "node is not installed (apt-get install nodejs)");
        PortalGateway.requireNodePackages();
        Files.createDirectories(SHOTS);
        try (PortalGateway stack = new PortalGateway()) {
            String key = stack.issueKey("browser-key");
            ProcessBuilder pb = new ProcessBuilder("node", "portal.spec.mjs").directory(PortalGateway.NODE_DIR.toFile())
                    .redirectErrorStream(true);
            pb.environment().putAll(java.util.Map.of("BASE_URL", stack.url(), "APP_KEY", key,
                    "SCREENSHOT_DIR", SHOTS.toAbsolutePath().toString(), "CHROMIUM", CHROMIUM.toString()));
            Process node = pb.start();
            String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean ended = node.waitFor(180, TimeUnit.SECONDS);
            System.out.println(output);
            assertThat(ended).as("the browser script ended within 180 s").isTrue();
            assertThat(output).as(output).contains("PORTAL BROWSER TEST PASSED");
            assertThat(node.exitValue()).as(output).isZero();
            assertThat(SHOTS.resolve("portal-try-it.png")).exists();
        }
    }
}
