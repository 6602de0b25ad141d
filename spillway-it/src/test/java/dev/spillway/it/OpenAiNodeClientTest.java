package dev.spillway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official openai npm client (6.x, Node 20), pointed at Spillway on HTTPS, trusting its CA
 * through {@code NODE_EXTRA_CA_CERTS} (as {@code spillway up} prints), changes nothing else and works.
 */
class OpenAiNodeClientTest {
    static final Path SCRIPT_DIR = Path.of("src/test/node");
    static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = TlsStack.get();
    }

    @Test
    void chatStreamEmbeddingsResponsesAnd429WorkThroughTheGatewayOnHttps() throws Exception {
        Requirements.require(Requirements.commandWorks("node", "--version"), "node is not installed (apt-get install nodejs)");
        if (!Files.isDirectory(SCRIPT_DIR.resolve("node_modules/openai"))) {
            Process install = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(SCRIPT_DIR.toFile())
                    .redirectErrorStream(true).start();
            String log = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Requirements.require(install.waitFor(180, TimeUnit.SECONDS) && install.exitValue() == 0,
                    "npm ci failed for the openai package: " + log);
        }
        ProcessBuilder pb = new ProcessBuilder("node", "openai-client.mjs").directory(SCRIPT_DIR.toFile())
                .redirectErrorStream(true);
        pb.environment().put("SPILLWAY_URL", stack.url());
        pb.environment().put("NODE_EXTRA_CA_CERTS", stack.caFile().toString());
        pb.environment().put("SPILLWAY_KEY", Stack.KEY);
        pb.environment().put("CHAT_DEPLOYMENT", "gpt-4o");
        pb.environment().put("EMBEDDING_DEPLOYMENT", "text-embedding-3-small");
        pb.environment().put("TINY_DEPLOYMENT", Stack.TINY);
        Process node = pb.start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        System.out.println(output);
        assertThat(output).contains("openai-npm: 8 passed, 0 failed");
        assertThat(node.exitValue()).as(output).isZero();
    }
}
