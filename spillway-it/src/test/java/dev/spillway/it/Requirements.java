package dev.spillway.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Skips a test loudly when a tool it needs is missing on this machine, except under {@code CI=true},
 * where a missing tool fails the run instead (CI must never pass by skipping).
 */
final class Requirements {
    private Requirements() {
    }

    static void require(boolean present, String what) {
        if (present) return;
        String message = "SKIPPED LOUDLY: " + what;
        System.err.println(message);
        if ("true".equals(System.getenv("CI"))) fail(what + " (CI=true, so this is a failure, not a skip)");
        Assumptions.abort(message);
    }

    static boolean commandWorks(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
