package dev.spillway.chat.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.chat.telemetry.TurnTracer;
import dev.spillway.core.config.Secret;
import dev.spillway.core.tls.TrustBundle;
import dev.spillway.core.wire.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@link ChatModel} over the gateway's Azure OpenAI route
 * ({@code POST /openai/deployments/{d}/chat/completions?api-version=...}, header {@code api-key}),
 * always streaming with {@code stream_options.include_usage} and the current trace as {@code traceparent}. SSE frames are {@code data: {json}}
 * lines ending with {@code data: [DONE]}; a stream that stops before {@code [DONE]} is an error,
 * never a short answer. Uses java.net.http (blocking, on the caller's virtual thread): the chat app
 * is not the gateway's hot path. Thread-safe; one per server.
 */
public final class GatewayChatModel implements ChatModel {
    private static final int MAX_ERROR_BODY = 4096;

    private final HttpClient client;
    private final URI endpoint;
    private final Secret apiKey;
    private final Duration timeout;

    public GatewayChatModel(URI gateway, String deployment, String apiVersion, Secret apiKey, Duration timeout) {
        this(gateway, deployment, apiVersion, apiKey, timeout, Optional.empty());
    }

    /** With {@code caFile}, a PEM bundle trusted for an https gateway instead of the JDK's CAs. */
    public GatewayChatModel(URI gateway, String deployment, String apiVersion, Secret apiKey, Duration timeout,
                            Optional<Path> caFile) {
        HttpClient.Builder http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
        caFile.ifPresent(ca -> http.sslContext(TrustBundle.sslContext(ca)));
        this.client = http.build();
        this.endpoint = URI.create(gateway + "/openai/deployments/" + URLEncoder.encode(deployment, StandardCharsets.UTF_8)
                + "/chat/completions?api-version=" + URLEncoder.encode(apiVersion, StandardCharsets.UTF_8));
        this.apiKey = apiKey;
        this.timeout = timeout;
    }

    @Override
    public Reply complete(Request request, Consumer<String> onDelta) {
        HttpRequest.Builder http = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("content-type", "application/json")
                .header("accept", "text/event-stream")
                .header("api-key", apiKey.value())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(request)));
        // The gateway's response cache serves an answer only to callers with the same access groups.
        if (!request.groups().isEmpty()) {
            // Each name URL-encoded, so a comma inside one cannot split it into two.
            http.header("x-spillway-access-groups", String.join(",", new java.util.TreeSet<>(request.groups()).stream()
                    .map(g -> URLEncoder.encode(g, StandardCharsets.UTF_8)).toList()));
        }
        // The gateway continues the turn's trace from this header (its span becomes our step's child).
        TurnTracer.inject(http::header);
        HttpResponse<Stream<String>> response = send(http.build());
        if (response.statusCode() / 100 != 2) throw failure(response);
        try (Stream<String> lines = response.body()) {
            return read(lines.iterator(), request, onDelta);
        }
    }

    private HttpResponse<Stream<String>> send(HttpRequest http) {
        try {
            return client.send(http, HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new ModelException(ModelException.Kind.UNREACHABLE, 0, "the gateway at " + endpoint.getHost() + ":"
                    + endpoint.getPort() + " could not be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelException(ModelException.Kind.UNREACHABLE, 0, "interrupted while calling the gateway", e);
        }
    }

    private static Reply read(Iterator<String> lines, Request request, Consumer<String> onDelta) {
        StringBuilder text = new StringBuilder();
        TokenUsage usage = null;
        try {
            while (lines.hasNext()) {
                String line = lines.next();
                if (!line.startsWith("data:")) continue;
                String data = line.substring(5).strip();
                if (data.equals("[DONE]")) return new Reply(text.toString(), usage != null ? usage : estimate(request, text));
                JsonNode frame = Json.MAPPER.readTree(data);
                if (frame.has("error")) throw new ModelException("the model stream failed: " + frame.path("error").path("message").asText());
                JsonNode u = frame.path("usage");
                if (u.isObject()) usage = new TokenUsage(u.path("prompt_tokens").asInt(), u.path("completion_tokens").asInt(), false);
                String delta = frame.path("choices").path(0).path("delta").path("content").asText("");
                if (!delta.isEmpty()) {
                    text.append(delta);
                    onDelta.accept(delta);
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ModelException(ModelException.Kind.BROKEN, 0, "the model stream broke off: " + e.getMessage(), e);
        }
        throw new ModelException("the model stream ended before [DONE]");
    }

    private static TokenUsage estimate(Request request, CharSequence answer) {
        int prompt = request.messages().stream().mapToInt(m -> TokenUsage.estimate(m.content())).sum();
        return new TokenUsage(prompt, TokenUsage.estimate(answer.toString()), true);
    }

    private static byte[] body(Request request) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode messages = body.putArray("messages");
        request.messages().forEach(m -> messages.addObject().put("role", m.role()).put("content", m.content()));
        body.put("temperature", request.temperature());
        body.put("max_tokens", request.maxTokens());
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        try {
            return Json.MAPPER.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ModelException failure(HttpResponse<Stream<String>> response) {
        String body;
        try (Stream<String> lines = response.body()) {
            body = String.join("\n", lines.limit(50).toList());
        }
        if (body.length() > MAX_ERROR_BODY) body = body.substring(0, MAX_ERROR_BODY);
        String message = body;
        try {
            JsonNode error = Json.MAPPER.readTree(body).path("error");
            if (error.has("message")) message = error.path("message").asText();
        } catch (IOException notJson) {
            // keep the raw (truncated) body as the message
        }
        return new ModelException(ModelException.Kind.REJECTED, response.statusCode(),
                "the gateway answered " + response.statusCode() + ": " + message, null);
    }

    /** Where requests go, for logs and tests. */
    public URI endpoint() {
        return endpoint;
    }

}
