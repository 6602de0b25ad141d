package dev.spillway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.openai.azure.AzureOpenAIServiceVersion;
import com.openai.azure.AzureUrlPathMode;
import com.openai.azure.credential.AzureApiKeyCredential;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.spillway.core.tls.TrustBundle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * com.openai:openai-java against the gateway on TLS, in both shapes it speaks: Azure (legacy
 * deployment paths, {@code api-key}) and OpenAI {@code /v1} (bearer key); chat, streams with and
 * without the usage chunk, embeddings, tools, the Responses API (whole, streamed, with a function
 * tool), 401, 404, and a 429 retried by the SDK.
 */
class OpenAiJavaTlsClientTest {
    static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = TlsStack.get();
    }

    static OpenAIOkHttpClient.Builder trusting() {
        return OpenAIOkHttpClient.builder()
                .sslSocketFactory(TrustBundle.sslContext(stack.caFile()).getSocketFactory())
                .trustManager(TrustBundle.trustManager(stack.caFile()));
    }

    static OpenAIClient azure(String key, int maxRetries) {
        return trusting().baseUrl(stack.url()).credential(AzureApiKeyCredential.create(key))
                .azureServiceVersion(AzureOpenAIServiceVersion.fromString("2024-10-21"))
                .azureUrlPathMode(AzureUrlPathMode.LEGACY).maxRetries(maxRetries).build();
    }

    static OpenAIClient v1(String key, int maxRetries) {
        return trusting().baseUrl(stack.url() + "/v1").apiKey(key).maxRetries(maxRetries).build();
    }

    static ChatCompletionCreateParams.Builder chat(String deployment) {
        return ChatCompletionCreateParams.builder().model(deployment).addUserMessage("Say hello to the gateway.")
                .maxCompletionTokens(20);
    }

    @Test
    void chatCompletesInBothShapes() {
        for (OpenAIClient client : List.of(azure(Stack.KEY, 0), v1(Stack.KEY, 0))) {
            var c = client.chat().completions().create(chat("gpt-4o").build());
            assertThat(c.choices().get(0).message().content()).hasValueSatisfying(t -> assertThat(t).isNotBlank());
            assertThat(c.usage()).hasValueSatisfying(u -> assertThat(u.completionTokens()).isPositive());
        }
    }

    @Test
    void streamCarriesTheUsageChunkOnlyWhenAskedFor() {
        List<ChatCompletionChunk> plain = stream(chat("gpt-4o").build());
        assertThat(plain).noneMatch(c -> c.usage().isPresent());
        List<ChatCompletionChunk> withUsage = stream(chat("gpt-4o")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());
        assertThat(withUsage.getLast().usage()).hasValueSatisfying(u -> assertThat(u.completionTokens()).isPositive());
        assertThat(withUsage.getLast().choices()).isEmpty();
    }

    private static List<ChatCompletionChunk> stream(ChatCompletionCreateParams params) {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> s = v1(Stack.KEY, 0).chat().completions().createStreaming(params)) {
            s.stream().forEach(chunks::add);
        }
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
        assertThat(text.toString()).isNotBlank();
        return chunks;
    }

    @Test
    void embeddingCompletes() {
        var r = azure(Stack.KEY, 0).embeddings().create(EmbeddingCreateParams.builder()
                .model("text-embedding-3-small").input("alpha beta").build());
        assertThat(r.data().get(0).embedding()).hasSizeGreaterThan(10);
    }

    @Test
    void chatToolCallComesBack() {
        FunctionDefinition weather = FunctionDefinition.builder().name("get_weather").parameters(cityParameters()).build();
        var c = azure(Stack.KEY, 0).chat().completions().create(ChatCompletionCreateParams.builder().model("gpt-4o")
                .addUserMessage("What is the weather in Paris?")
                .addTool(ChatCompletionFunctionTool.builder().function(weather).build()).build());
        assertThat(c.choices().get(0).message().toolCalls()).hasValueSatisfying(calls ->
                assertThat(calls.get(0).asFunction().function().name()).isEqualTo("get_weather"));
    }

    @Test
    void responsesCreateReturnsTextAndUsage() {
        Response r = v1(Stack.KEY, 0).responses().create(ResponseCreateParams.builder().model("gpt-4o")
                .input("Say hello to the gateway.").maxOutputTokens(20).build());
        assertThat(r.output()).isNotEmpty();
        assertThat(r.output().get(0).asMessage().content().get(0).asOutputText().text()).isNotBlank();
        assertThat(r.usage()).hasValueSatisfying(u -> assertThat(u.outputTokens()).isPositive());
    }

    @Test
    void responsesStreamEndsWithCompletedAndItsUsage() {
        List<ResponseStreamEvent> events = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> s = v1(Stack.KEY, 0).responses().createStreaming(
                ResponseCreateParams.builder().model("gpt-4o").input("Say hello.").build())) {
            s.stream().forEach(events::add);
        }
        assertThat(events.getFirst().isCreated()).isTrue();
        assertThat(events).anyMatch(ResponseStreamEvent::isOutputTextDelta);
        assertThat(events.getLast().completed()).hasValueSatisfying(done ->
                assertThat(done.response().usage()).hasValueSatisfying(u -> assertThat(u.outputTokens()).isPositive()));
    }

    @Test
    void responsesFunctionToolIsCalled() {
        Response r = v1(Stack.KEY, 0).responses().create(ResponseCreateParams.builder().model("gpt-4o")
                .input("What is the weather in Paris?")
                .addTool(FunctionTool.builder().name("get_weather").parameters(FunctionTool.Parameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .build()).strict(false).build())
                .build());
        assertThat(r.output().get(0).asFunctionCall().name()).isEqualTo("get_weather");
    }

    @Test
    void wrongKeyIs401AndUnknownDeploymentIs404() {
        assertThat(catchThrowableOfType(UnauthorizedException.class,
                () -> v1("sk-wrong-0123456789", 0).chat().completions().create(chat("gpt-4o").build())).statusCode())
                .isEqualTo(401);
        assertThat(catchThrowableOfType(NotFoundException.class,
                () -> azure(Stack.KEY, 0).chat().completions().create(chat("no-such-deployment").build())).statusCode())
                .isEqualTo(404);
    }

    @Test
    void throttledCallIsRetriedByTheSdkThenSurfacesAs429() throws Exception {
        long before = stack.answered(Stack.THROTTLED, "4xx", 0);
        RateLimitException e = catchThrowableOfType(RateLimitException.class,
                () -> azure(Stack.KEY, 2).chat().completions().create(chat(Stack.THROTTLED).build()));
        assertThat(e.headers().values("retry-after-ms")).singleElement()
                .satisfies(ms -> assertThat(Long.parseLong(ms)).isPositive());
        assertThat(stack.answered(Stack.THROTTLED, "4xx", before + 3) - before).as("the call and its retries").isBetween(3L, 12L);
    }

    private static FunctionParameters cityParameters() {
        return FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                .build();
    }
}
