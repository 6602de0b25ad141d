package dev.spillway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official openai npm client (6.x, Node 20), pointed at Spillway on HTTPS, trusting its CA
 * through {@code NODE_EXTRA_CA_CERTS} (as {@code spillway up} prints), changes nothing else and works.
 */
class OpenAiNodeClientTest {
    static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = TlsStack.get();
    }

    @Test
    void chatStreamEmbeddingsResponsesAnd429WorkThroughTheGatewayOnHttps() throws Exception {
        String output = NodeClient.run("openai-client.mjs", Map.of("SPILLWAY_URL", stack.url(), "SPILLWAY_KEY", Stack.KEY,
                "NODE_EXTRA_CA_CERTS", stack.caFile().toString(), "CHAT_DEPLOYMENT", "gpt-4o",
                "EMBEDDING_DEPLOYMENT", "text-embedding-3-small", "TINY_DEPLOYMENT", Stack.TINY), 60);
        assertThat(output).contains("openai-npm: 8 passed, 0 failed");
    }
}
