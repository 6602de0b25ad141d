package dev.spillway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a script of {@code src/test/node} with Node and the pinned {@code openai} npm package,
 * installing the package on first use ({@code npm ci}); skips loudly without Node.
 */
final class NodeClient {
    static final Path SCRIPT_DIR = Path.of("src/test/node");

    private NodeClient() {
    }

    /** The script's output (stdout and stderr), once it exited within {@code seconds}; printed too. */
    static String run(String script, Map<String, String> env, int seconds) throws Exception {
        Requirements.require(Requirements.commandWorks("node", "--version"), "node is not installed (apt-get install nodejs)");
        if (!Files.isDirectory(SCRIPT_DIR.resolve("node_modules/openai"))) {
            Process install = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(SCRIPT_DIR.toFile())
                    .redirectErrorStream(true).start();
            String log = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Requirements.require(install.waitFor(180, TimeUnit.SECONDS) && install.exitValue() == 0,
                    "npm ci failed for the openai package: " + log);
        }
        ProcessBuilder pb = new ProcessBuilder("node", script).directory(SCRIPT_DIR.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process node = pb.start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(seconds, TimeUnit.SECONDS)).isTrue();
        System.out.println(output);
        return output;
    }
}
