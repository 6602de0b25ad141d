package dev.spillway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.azure.ai.openai.OpenAIClient;
import com.azure.ai.openai.OpenAIClientBuilder;
import com.azure.ai.openai.OpenAIServiceVersion;
import com.azure.ai.openai.models.ChatChoice;
import com.azure.ai.openai.models.ChatCompletions;
import com.azure.ai.openai.models.ChatCompletionsFunctionToolCall;
import com.azure.ai.openai.models.ChatCompletionsFunctionToolDefinition;
import com.azure.ai.openai.models.ChatCompletionsOptions;
import com.azure.ai.openai.models.ChatRequestUserMessage;
import com.azure.ai.openai.models.Embeddings;
import com.azure.ai.openai.models.EmbeddingsOptions;
import com.azure.ai.openai.models.ChatCompletionsFunctionToolDefinitionFunction;
import com.azure.ai.openai.responses.AzureResponsesServiceVersion;
import com.azure.ai.openai.responses.ResponsesClient;
import com.azure.ai.openai.responses.ResponsesClientBuilder;
import com.azure.ai.openai.responses.models.CreateResponsesRequest;
import com.azure.ai.openai.responses.models.CreateResponsesRequestModel;
import com.azure.ai.openai.responses.models.ResponsesResponse;
import com.azure.core.credential.AzureKeyCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.okhttp.OkHttpAsyncHttpClientBuilder;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.util.BinaryData;
import dev.spillway.core.tls.TrustBundle;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official Azure SDK for Java (azure-ai-openai 1.0.0-beta.16), unchanged: HTTPS endpoint,
 * {@link AzureKeyCredential}, its own retry policy. It refuses to send a key over plain HTTP, so this
 * runs against the gateway on TLS, trusting the gateway's CA. Its public API cannot ask a stream
 * for usage ({@code stream_options} has no public setter in this version).
 */
class AzureSdkClientTest {
    static Stack stack;
    static HttpClient transport;

    @BeforeAll
    static void start() throws Exception {
        stack = TlsStack.get();
        X509TrustManager trust = TrustBundle.trustManager(stack.caFile());
        OkHttpClient okHttp = new OkHttpClient.Builder()
                .sslSocketFactory(TrustBundle.sslContext(stack.caFile()).getSocketFactory(), trust)
                .readTimeout(20, TimeUnit.SECONDS).build();
        transport = new OkHttpAsyncHttpClientBuilder(okHttp).build();
    }

    static OpenAIClient client(String key) {
        return new OpenAIClientBuilder().endpoint(stack.url()).credential(new AzureKeyCredential(key))
                .serviceVersion(OpenAIServiceVersion.V2024_06_01).httpClient(transport).buildClient();
    }

    static ChatCompletionsOptions hello() {
        return new ChatCompletionsOptions(List.of(new ChatRequestUserMessage("Say hello to the gateway.")))
                .setMaxTokens(20);
    }

    @Test
    void chatCompletesOverHttpsWithAnAzureKeyCredential() {
        assertThat(stack.url()).startsWith("https://");
        ChatCompletions c = client(Stack.KEY).getChatCompletions("gpt-4o", hello());
        assertThat(c.getChoices().get(0).getMessage().getContent()).isNotBlank();
        assertThat(c.getUsage().getCompletionTokens()).isPositive();
    }

    @Test
    void streamedChatCompletes() {
        StringBuilder text = new StringBuilder();
        client(Stack.KEY).getChatCompletionsStream("gpt-4o", hello()).forEach(chunk -> {
            for (ChatChoice choice : chunk.getChoices()) {
                if (choice.getDelta() != null && choice.getDelta().getContent() != null) {
                    text.append(choice.getDelta().getContent());
                }
            }
            assertThat(chunk.getUsage()).as("no usage chunk unless asked for").isNull();
        });
        assertThat(text.toString()).isNotBlank();
    }

    @Test
    void embeddingCompletes() {
        Embeddings e = client(Stack.KEY).getEmbeddings("text-embedding-3-small", new EmbeddingsOptions(List.of("alpha")));
        assertThat(e.getData()).hasSize(1);
        assertThat(e.getData().get(0).getEmbedding()).hasSizeGreaterThan(10);
    }

    @Test
    void toolCallComesBackAsAFunctionCall() {
        ChatCompletionsFunctionToolDefinitionFunction weather = new ChatCompletionsFunctionToolDefinitionFunction("get_weather").setDescription("Current weather for a city")
                .setParameters(BinaryData.fromString(
                        "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}"));
        ChatCompletionsOptions options = new ChatCompletionsOptions(List.of(
                new ChatRequestUserMessage("What is the weather in Paris?")))
                .setTools(List.of(new ChatCompletionsFunctionToolDefinition(weather)));
        ChatChoice choice = client(Stack.KEY).getChatCompletions("gpt-4o", options).getChoices().get(0);
        assertThat(choice.getMessage().getToolCalls()).singleElement()
                .isInstanceOfSatisfying(ChatCompletionsFunctionToolCall.class,
                        call -> assertThat(call.getFunction().getName()).isEqualTo("get_weather"));
    }

    @Test
    void responsesClientCreatesAResponse() {
        ResponsesClient responses = new ResponsesClientBuilder().endpoint(stack.url())
                .credential(new AzureKeyCredential(Stack.KEY)).serviceVersion(AzureResponsesServiceVersion.V2025_03_01_PREVIEW)
                .httpClient(transport).buildClient();
        ResponsesResponse r = responses.createResponse(new CreateResponsesRequest(
                CreateResponsesRequestModel.fromString("gpt-4o"), "Say hello to the gateway."));
        assertThat(r.getId()).startsWith("resp_");
        assertThat(r.getOutput()).isNotEmpty();
        assertThat(r.getUsage().getOutputTokens()).isPositive();
    }

    @Test
    void wrongKeyIs401AndUnknownDeploymentIs404() {
        assertThat(catchThrowableOfType(ClientAuthenticationException.class,
                () -> client("sk-wrong-0123456789").getChatCompletions("gpt-4o", hello())).getResponse().getStatusCode())
                .isEqualTo(401);
        assertThat(catchThrowableOfType(ResourceNotFoundException.class,
                () -> client(Stack.KEY).getChatCompletions("no-such-deployment", hello())).getResponse().getStatusCode())
                .isEqualTo(404);
    }

    @Test
    void throttledCallIsRetriedByTheSdkThenSurfacesAs429WithRetryAfterMs() throws Exception {
        long before = stack.answered(Stack.THROTTLED, "4xx", 0);
        // The SDK's own retry policy, with a short backoff so the test stays quick.
        OpenAIClient retrying = new OpenAIClientBuilder().endpoint(stack.url()).credential(new AzureKeyCredential(Stack.KEY))
                .httpClient(transport).retryOptions(new RetryOptions(new ExponentialBackoffOptions().setMaxRetries(2)
                        .setBaseDelay(Duration.ofMillis(10)).setMaxDelay(Duration.ofMillis(200)))).buildClient();
        HttpResponseException e = catchThrowableOfType(HttpResponseException.class,
                () -> retrying.getChatCompletions(Stack.THROTTLED, hello()));
        assertThat(e.getResponse().getStatusCode()).isEqualTo(429);
        assertThat(e.getResponse().getHeaderValue("retry-after-ms")).as(e.getResponse().getHeaders().toString()).isNotNull();
        assertThat(stack.answered(Stack.THROTTLED, "4xx", before + 3) - before).as("the call and its retries").isBetween(3L, 12L);
    }
}
