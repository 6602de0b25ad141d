package dev.spillway.chat.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.chat.FakeChatModel;
import dev.spillway.chat.TestChatApp;
import dev.spillway.chat.WebClient;
import dev.spillway.chat.flow.ChatModel;
import dev.spillway.chat.flow.TokenUsage;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnswerCancellationTest {
    private static final int WORDS = 5_000;

    /** Streams a long answer a word every 10 ms and notes when the chat app abandons it. */
    static final class SlowModel implements ChatModel {
        final CountDownLatch abandoned = new CountDownLatch(1);
        final AtomicInteger sent = new AtomicInteger();

        @Override
        public Reply complete(Request request, Consumer<String> onDelta) {
            if (FakeChatModel.isRewrite(request)) return new Reply("query", TokenUsage.NONE);
            try {
                for (int i = 0; i < WORDS; i++) {
                    onDelta.accept("word ");
                    sent.incrementAndGet();
                    Thread.sleep(10);
                }
            } catch (RuntimeException e) {
                abandoned.countDown();
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Reply("done", TokenUsage.NONE);
        }
    }

    @TempDir
    Path dir;

    @Test
    void browserThatLeavesMidAnswerMakesTheServerAbandonTheModelCall() throws Exception {
        SlowModel model = new SlowModel();
        try (TestChatApp app = new TestChatApp(dir, model, "")) {
            WebClient c = new WebClient(app.url());
            c.signIn("alice", TestChatApp.PASSWORD);
            HttpRequest request = HttpRequest.newBuilder(URI.create(app.url() + "/api/chat"))
                    .header("content-type", "application/json").header("x-csrf-token", c.csrf)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"question\":\"tell me everything\"}")).build();
            HttpResponse<InputStream> response = c.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            String conversation;
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                conversation = dev.spillway.core.wire.Json.MAPPER.readTree(lines.readLine()).path("conversationId").asText();
                String line;
                do {
                    line = lines.readLine();
                } while (line != null && !line.contains("\"delta\""));
                assertThat(line).isNotNull();
            }
            assertThat(model.abandoned.await(30, TimeUnit.SECONDS)).as("model call abandoned").isTrue();
            assertThat(model.sent.get()).isLessThan(WORDS);
            // The stopped turn is kept, marked, with the text streamed so far (stored just after the abandon).
            com.fasterxml.jackson.databind.JsonNode messages = null;
            for (int i = 0; i < 500 && (messages == null || messages.size() < 2); i++) {
                if (messages != null) Thread.sleep(10);
                messages = WebClient.json(c.get("/api/conversations/" + conversation)).path("messages");
            }
            assertThat(messages.get(1).path("details").path("status").asText()).isEqualTo("stopped");
            assertThat(messages.get(1).path("content").asText()).startsWith("word");
        }
    }
}
