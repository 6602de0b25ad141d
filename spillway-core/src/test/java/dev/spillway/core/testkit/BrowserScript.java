package dev.spillway.core.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a module's browser script: a Node program in {@code scriptDir} driving Debian's Chromium
 * through playwright-core, for the chat UI's, the console's and the portal's browser tests. The
 * script gets its settings as environment variables and prints one {@code ok - ...} line a check.
 */
public final class BrowserScript {
    /** Debian's Chromium, or {@code $CHROMIUM}. */
    public static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    /** Where the scripts save the screenshots the docs show. */
    public static final Path SHOTS = Path.of("target/browser-screenshots");
    private static final int TIMEOUT_SECONDS = 180;

    private BrowserScript() {
    }

    public record Result(int exitCode, String output) {
    }

    /**
     * Skips the test loudly without Chromium, {@code node} or (after one {@code npm ci} in
     * {@code scriptDir}) playwright-core; fails instead when CI=true.
     */
    public static void requireTools(Path scriptDir) throws Exception {
        String missing = !Files.isExecutable(CHROMIUM) ? CHROMIUM + " is missing (apt-get install -y chromium)"
                : run(scriptDir, List.of("node", "--version"), Map.of()).exitCode() != 0 ? "node is missing" : "";
        if (missing.isEmpty() && !Files.isDirectory(scriptDir.resolve("node_modules/playwright-core"))) {
            Result ci = run(scriptDir, List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of());
            if (ci.exitCode() != 0) missing = "npm ci failed in " + scriptDir + ":\n" + ci.output();
        }
        if (missing.isEmpty()) return;
        if ("true".equals(System.getenv("CI"))) fail("browser test cannot run: " + missing);
        Assumptions.abort("SKIPPING BROWSER TEST: " + missing);
    }

    /** Runs {@code command} in {@code cwd} with {@code env} added; killed after 180 s (exit code -1). */
    public static Result run(Path cwd, List<String> command, Map<String, String> env) throws Exception {
        Process p;
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
            pb.environment().putAll(env);
            p = pb.start();
        } catch (IOException e) {
            return new Result(127, e.getMessage());
        }
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "timed out after " + TIMEOUT_SECONDS + " s:\n"
                    + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
