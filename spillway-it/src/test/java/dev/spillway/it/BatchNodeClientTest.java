package dev.spillway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official openai npm client (6.x, Node 20) uses Spillway's Files and Batches API unchanged:
 * files.create, batches.create/retrieve/cancel/list and files.content, on the OpenAI and Azure
 * routes, with the real scheduler running the lines against the simulator.
 */
class BatchNodeClientTest {
    static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack();
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void filesAndBatchesWorkWithTheOfficialNodeClient() throws Exception {
        Requirements.require(Requirements.commandWorks("node", "--version"), "node is not installed (apt-get install nodejs)");
        if (!Files.isDirectory(OpenAiNodeClientTest.SCRIPT_DIR.resolve("node_modules/openai"))) {
            Process install = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                    .directory(OpenAiNodeClientTest.SCRIPT_DIR.toFile()).redirectErrorStream(true).start();
            String log = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Requirements.require(install.waitFor(180, TimeUnit.SECONDS) && install.exitValue() == 0,
                    "npm ci failed for the openai package: " + log);
        }
        ProcessBuilder pb = new ProcessBuilder("node", "batch-client.mjs")
                .directory(OpenAiNodeClientTest.SCRIPT_DIR.toFile()).redirectErrorStream(true);
        pb.environment().put("SPILLWAY_URL", stack.url());
        pb.environment().put("SPILLWAY_KEY", Stack.KEY);
        pb.environment().put("CHAT_DEPLOYMENT", "gpt-4o");
        Process node = pb.start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
        System.out.println(output);
        assertThat(output).contains("openai-npm batch: 4 passed, 0 failed");
        assertThat(node.exitValue()).as(output).isZero();
    }
}
