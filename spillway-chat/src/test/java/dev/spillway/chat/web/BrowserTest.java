package dev.spillway.chat.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spillway.chat.FakeSseServer;
import dev.spillway.chat.TestChatApp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the real UI in headless Chromium through playwright-core ({@code src/test/browser}): the chat
 * server runs with a fake retriever and reaches a fake streaming model over HTTP through the
 * production gateway client. Needs {@code node} and Debian's {@code /usr/bin/chromium}; skips
 * loudly without them, fails instead when CI=true. Screenshots land in target/browser-screenshots.
 */
class BrowserTest {
    private static final Path SCRIPT_DIR = Path.of("src/test/browser");
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final Path SHOTS = Path.of("target/browser-screenshots");

    @TempDir
    Path dir;

    @Test
    void userSignsInAsksAndOpensTheCitedPage() throws Exception {
        requireTools();
        try (FakeSseServer model = new FakeSseServer()) {
            model.frameDelayMillis = 40;
            model.responder = body -> body.contains("Search query:") ? FakeSseServer.answer("vacation days per year")
                    : FakeSseServer.answer("Employees get ", "25 days ", "of paid vacation ", "per year ",
                            "[handbook.pdf#page=3]. ", "Dental cleanings are covered twice a year ", "[benefits.md#dental].");
            try (TestChatApp app = new TestChatApp(dir, null, 0, "gateway-url: \"" + model.url() + "\"")) {
                Files.createDirectories(SHOTS);
                Result r = run(List.of("node", "chat.spec.mjs"), app.url());
                assertThat(r.output()).as(r.output()).contains("BROWSER TEST PASSED");
                assertThat(r.exitCode()).as(r.output()).isZero();
                assertThat(SHOTS.resolve("chat.png")).exists();
                assertThat(model.received).allSatisfy(req -> assertThat(req.apiKey()).isEqualTo("test-app-key"));
            }
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static void requireTools() throws Exception {
        String missing = !Files.isExecutable(CHROMIUM) ? CHROMIUM + " is missing (apt-get install -y chromium)"
                : run(SCRIPT_DIR, List.of("node", "--version"), java.util.Map.of()).exitCode() != 0 ? "node is missing" : "";
        if (missing.isEmpty() && !Files.isDirectory(SCRIPT_DIR.resolve("node_modules/playwright-core"))) {
            Result ci = run(SCRIPT_DIR, List.of("npm", "ci", "--no-audit", "--no-fund"), java.util.Map.of());
            if (ci.exitCode() != 0) missing = "npm ci failed in " + SCRIPT_DIR + ":\n" + ci.output();
        }
        if (missing.isEmpty()) return;
        if ("true".equals(System.getenv("CI"))) fail("browser test cannot run: " + missing);
        Assumptions.abort("SKIPPING BROWSER TEST: " + missing);
    }

    private static Result run(List<String> command, String baseUrl) throws Exception {
        return run(SCRIPT_DIR, command, java.util.Map.of("BASE_URL", baseUrl, "CHAT_USER", "alice",
                "CHAT_PASSWORD", TestChatApp.PASSWORD, "SCREENSHOT_DIR", SHOTS.toAbsolutePath().toString(),
                "CHROMIUM", CHROMIUM.toString()));
    }

    private static Result run(Path cwd, List<String> command, java.util.Map<String, String> env) throws Exception {
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
