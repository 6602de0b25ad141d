package dev.spillway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.azure.ai.openai.OpenAIClientBuilder;
import com.azure.core.credential.AzureKeyCredential;
import com.azure.core.http.okhttp.OkHttpAsyncHttpClientBuilder;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.model.azure.AzureOpenAiChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiResponsesChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.spillway.core.tls.TrustBundle;
import java.net.http.HttpClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LangChain4j 1.18 against the gateway on TLS: its OpenAI module on {@code /v1} (chat, stream with
 * its usage, embeddings, tools, the Responses model, 401, 404, a 429 retried by its own retry) and
 * its Azure OpenAI module (chat over the Azure SDK with an API key).
 */
class LangChain4jClientTest {
    static Stack stack;
    static final ToolSpecification WEATHER = ToolSpecification.builder().name("get_weather")
            .description("Current weather for a city")
            .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build()).build();

    @BeforeAll
    static void start() throws Exception {
        stack = TlsStack.get();
    }

    static JdkHttpClientBuilder http() {
        return JdkHttpClient.builder().httpClientBuilder(HttpClient.newBuilder()
                .sslContext(TrustBundle.sslContext(stack.caFile())).version(HttpClient.Version.HTTP_1_1));
    }

    static OpenAiChatModel chat(String key, String model, int maxRetries) {
        return OpenAiChatModel.builder().baseUrl(stack.url() + "/v1").apiKey(key).modelName(model).maxTokens(20)
                .maxRetries(maxRetries).httpClientBuilder(http()).build();
    }

    @Test
    void chatCompletes() {
        ChatResponse r = chat(Stack.KEY, "gpt-4o", 0).chat(ChatRequest.builder()
                .messages(UserMessage.from("Say hello to the gateway.")).build());
        assertThat(r.aiMessage().text()).isNotBlank();
        assertThat(r.tokenUsage().outputTokenCount()).isPositive();
    }

    @Test
    void streamCompletesWithItsUsage() throws Exception {
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(stack.url() + "/v1")
                .apiKey(Stack.KEY).modelName("gpt-4o").maxTokens(20).httpClientBuilder(http()).build();
        StringBuilder text = new StringBuilder();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat("Say hello to the gateway.", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                text.append(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse r = done.get(20, TimeUnit.SECONDS);
        assertThat(text.toString()).isNotBlank().isEqualTo(r.aiMessage().text());
        assertThat(r.tokenUsage().outputTokenCount()).isPositive();
    }

    @Test
    void embeddingCompletes() {
        OpenAiEmbeddingModel model = OpenAiEmbeddingModel.builder().baseUrl(stack.url() + "/v1").apiKey(Stack.KEY)
                .modelName("text-embedding-3-small").httpClientBuilder(http()).build();
        assertThat(model.embed("alpha beta").content().vector()).hasSizeGreaterThan(10);
    }

    @Test
    void toolCallComesBackAsAToolExecutionRequest() {
        ChatResponse r = chat(Stack.KEY, "gpt-4o", 0).chat(ChatRequest.builder()
                .messages(UserMessage.from("What is the weather in Paris?")).toolSpecifications(WEATHER).build());
        assertThat(r.aiMessage().toolExecutionRequests()).singleElement()
                .satisfies(call -> assertThat(call.name()).isEqualTo("get_weather"));
    }

    @Test
    void responsesModelAnswersAndCallsTools() {
        OpenAiResponsesChatModel model = OpenAiResponsesChatModel.builder().baseUrl(stack.url() + "/v1")
                .apiKey(Stack.KEY).modelName("gpt-4o").maxOutputTokens(20).httpClientBuilder(http()).build();
        ChatResponse text = model.chat(ChatRequest.builder().messages(UserMessage.from("Say hello.")).build());
        assertThat(text.aiMessage().text()).isNotBlank();
        assertThat(text.tokenUsage().outputTokenCount()).isPositive();
        ChatResponse tool = model.chat(ChatRequest.builder().messages(UserMessage.from("What is the weather in Paris?"))
                .toolSpecifications(WEATHER).build());
        assertThat(tool.aiMessage().toolExecutionRequests()).singleElement()
                .satisfies(call -> assertThat(call.name()).isEqualTo("get_weather"));
    }

    @Test
    void wrongKeyIs401AndUnknownModelIs404() {
        assertThat(catchThrowable(() -> chat("sk-wrong-0123456789", "gpt-4o", 0).chat("Hi")))
                .isInstanceOf(AuthenticationException.class);
        assertThat(catchThrowable(() -> chat(Stack.KEY, "no-such-deployment", 0).chat("Hi")))
                .isInstanceOf(ModelNotFoundException.class);
    }

    @Test
    void throttledCallIsRetriedByLangChain4jThenSurfacesAsRateLimit() throws Exception {
        long before = stack.answered(Stack.THROTTLED, "4xx", 0);
        assertThat(catchThrowable(() -> chat(Stack.KEY, Stack.THROTTLED, 1).chat("Hi")))
                .isInstanceOf(RateLimitException.class);
        assertThat(stack.answered(Stack.THROTTLED, "4xx", before + 2) - before).as("the call and its retries").isBetween(2L, 12L);
    }

    @Test
    void azureModuleChatsThroughTheAzureSdk() {
        OkHttpClient okHttp = new OkHttpClient.Builder().sslSocketFactory(
                TrustBundle.sslContext(stack.caFile()).getSocketFactory(), TrustBundle.trustManager(stack.caFile())).build();
        AzureOpenAiChatModel model = AzureOpenAiChatModel.builder().deploymentName("gpt-4o").maxTokens(20)
                .openAIClient(new OpenAIClientBuilder().endpoint(stack.url()).credential(new AzureKeyCredential(Stack.KEY))
                        .httpClient(new OkHttpAsyncHttpClientBuilder(okHttp).build()).buildClient())
                .build();
        ChatResponse r = model.chat(ChatRequest.builder().messages(UserMessage.from("Say hello.")).build());
        assertThat(r.aiMessage().text()).isNotBlank();
        assertThat(r.tokenUsage().outputTokenCount()).isPositive();
    }
}
