package dev.spillway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.openai.azure.AzureOpenAIServiceVersion;
import com.openai.azure.AzureUrlPathMode;
import com.openai.azure.credential.AzureApiKeyCredential;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * com.openai:openai-java, unchanged but for base URL and key (its legacy Azure URL mode, since
 * localhost is not an Azure host name), completes a chat, a stream and an embedding through
 * Spillway, and sees the simulated quota's 429 with retry-after-ms.
 */
class OpenAiJavaClientTest {
    static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack();
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    static OpenAIClient azureClient(int maxRetries) {
        return OpenAIOkHttpClient.builder()
                .baseUrl(stack.url())
                .credential(AzureApiKeyCredential.create(Stack.KEY))
                .azureServiceVersion(AzureOpenAIServiceVersion.fromString("2024-10-21"))
                .azureUrlPathMode(AzureUrlPathMode.LEGACY)
                .maxRetries(maxRetries)
                .build();
    }

    static ChatCompletionCreateParams chat(String deployment) {
        return ChatCompletionCreateParams.builder().model(deployment).addUserMessage("Say hello to the gateway.")
                .maxCompletionTokens(20).build();
    }

    @Test
    void chatCompletes() {
        ChatCompletion c = azureClient(2).chat().completions().create(chat("gpt-4o"));
        assertThat(c.choices().get(0).message().content()).hasValueSatisfying(text -> assertThat(text).isNotBlank());
        assertThat(c.usage()).hasValueSatisfying(u -> assertThat(u.completionTokens()).isPositive());
    }

    @Test
    void streamedChatCompletes() {
        StringBuilder text = new StringBuilder();
        AtomicInteger chunks = new AtomicInteger();
        try (StreamResponse<ChatCompletionChunk> stream = azureClient(2).chat().completions().createStreaming(chat("gpt-4o"))) {
            stream.stream().forEach(chunk -> {
                chunks.incrementAndGet();
                chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append));
            });
        }
        assertThat(chunks.get()).isGreaterThan(2);
        assertThat(text.toString()).isNotBlank();
    }

    @Test
    void embeddingCompletes() {
        CreateEmbeddingResponse r = azureClient(2).embeddings().create(EmbeddingCreateParams.builder()
                .model("text-embedding-3-small").input("alpha beta").build());
        assertThat(r.data()).hasSize(1);
        assertThat(r.data().get(0).embedding()).hasSizeGreaterThan(10);
    }

    @Test
    void exhaustedQuotaIs429WithRetryAfterMs() {
        OpenAIClient client = azureClient(0);
        RateLimitException limited = null;
        for (int i = 0; i < 10 && limited == null; i++) {
            ChatCompletionCreateParams big = ChatCompletionCreateParams.builder().model(Stack.TINY)
                    .addUserMessage("Use up the quota.").maxCompletionTokens(400).build();
            limited = catchThrowableOfType(RateLimitException.class, () -> client.chat().completions().create(big));
        }
        assertThat(limited).as("a 429 within 10 requests on a 1,000 tokens/min deployment").isNotNull();
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().values("retry-after-ms")).singleElement()
                .satisfies(ms -> assertThat(Long.parseLong(ms)).isPositive());
    }
}
