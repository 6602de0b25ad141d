package dev.spillway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
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
        String output = NodeClient.run("batch-client.mjs", Map.of("SPILLWAY_URL", stack.url(), "SPILLWAY_KEY", Stack.KEY,
                "NODE_EXTRA_CA_CERTS", stack.caFile().toString(),
                "CHAT_DEPLOYMENT", "gpt-4o"), 120);
        assertThat(output).contains("openai-npm batch: 4 passed, 0 failed");
    }
}
