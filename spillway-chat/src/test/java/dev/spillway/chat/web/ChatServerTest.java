package dev.spillway.chat.web;

import static dev.spillway.chat.WebClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.chat.FakeChatModel;
import dev.spillway.chat.TestChatApp;
import dev.spillway.chat.WebClient;
import dev.spillway.chat.flow.ChatMessage;
import dev.spillway.chat.flow.ChatModel;
import dev.spillway.core.wire.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatServerTest {
    @TempDir
    static Path dir;
    static FakeChatModel model = new FakeChatModel();
    static TestChatApp app;

    @BeforeAll
    static void start() throws Exception {
        app = new TestChatApp(dir, model, "");
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
    }

    private static WebClient signedIn(String user) throws Exception {
        WebClient c = new WebClient(app.url());
        assertThat(c.signIn(user, TestChatApp.PASSWORD).statusCode()).isEqualTo(200);
        return c;
    }

    private static List<JsonNode> events(HttpResponse<String> r) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : r.body().split("\n")) if (!line.isBlank()) out.add(Json.MAPPER.readTree(line));
        return out;
    }

    @Test
    void apiWithoutASessionIs401WithTheErrorEnvelope() throws Exception {
        HttpResponse<String> r = new WebClient(app.url()).get("/api/conversations");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).path("error").path("message").asText()).isEqualTo("Sign in first.");
    }

    @Test
    void signInSetsAnHttpOnlyLaxCookieHoldingA256BitId() throws Exception {
        WebClient c = new WebClient(app.url());
        String token = json(c.get("/auth/options")).path("csrf").asText();
        HttpResponse<String> r = c.post("/auth/login", "{\"username\":\"alice\",\"password\":\"s3cret-pass\"}",
                "x-csrf-token", token);
        assertThat(r.statusCode()).isEqualTo(200);
        String cookie = r.headers().allValues("set-cookie").stream().filter(v -> v.startsWith("spillway_session="))
                .findFirst().orElseThrow();
        assertThat(cookie).containsIgnoringCase("HttpOnly").contains("SameSite=Lax").contains("Path=/")
                .as("a browser-session cookie; the server enforces idle expiry").doesNotContain("Max-Age");
        String id = cookie.substring("spillway_session=".length(), cookie.indexOf(';'));
        assertThat(Base64.getUrlDecoder().decode(id)).hasSize(32);
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSame401() throws Exception {
        HttpResponse<String> wrong = new WebClient(app.url()).signIn("alice", "nope");
        HttpResponse<String> unknown = new WebClient(app.url()).signIn("zed", "nope");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).isEqualTo(unknown.body());
    }

    @Test
    void repeatedWrongPasswordsLockTheNameWith429() throws Exception {
        for (int i = 0; i < 5; i++) assertThat(new WebClient(app.url()).signIn("carol", "guess" + i).statusCode()).isEqualTo(401);
        HttpResponse<String> locked = new WebClient(app.url()).signIn("carol", "guess-6");
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.headers().firstValue("retry-after")).isPresent();
    }

    @Test
    void loginWithoutTheFormTokenIsRejected() throws Exception {
        WebClient c = new WebClient(app.url());
        c.get("/auth/options");
        HttpResponse<String> r = c.post("/auth/login", "{\"username\":\"alice\",\"password\":\"s3cret-pass\"}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r).path("error").path("code").asText()).isEqualTo("csrf_rejected");
    }

    @Test
    void postWithoutTheCsrfTokenOrFromAnotherSiteIsRejected() throws Exception {
        WebClient c = signedIn("alice");
        String body = "{\"question\":\"How many vacation days?\"}";
        assertThat(c.post("/api/chat", body).statusCode()).isEqualTo(403);
        assertThat(c.post("/api/chat", body, "x-csrf-token", "forged").statusCode()).isEqualTo(403);
        assertThat(c.post("/api/chat", body, "x-csrf-token", c.csrf, "origin", "https://evil.example").statusCode())
                .isEqualTo(403);
        assertThat(c.post("/api/chat", body, "x-csrf-token", c.csrf, "sec-fetch-site", "cross-site").statusCode())
                .isEqualTo(403);
    }

    @Test
    void questionStreamsAsNdjsonWithCitationsAndIsStoredInHistory() throws Exception {
        WebClient c = signedIn("alice");
        HttpResponse<String> r = c.post("/api/chat", "{\"question\":\"How many vacation days?\"}", "x-csrf-token", c.csrf);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/x-ndjson"));
        List<JsonNode> events = events(r);
        assertThat(events.getFirst().path("type").asText()).isEqualTo("start");
        assertThat(events.stream().filter(e -> e.path("type").asText().equals("delta")).count()).isGreaterThan(1);
        JsonNode answer = events.getLast();
        assertThat(answer.path("type").asText()).isEqualTo("answer");
        assertThat(answer.path("text").asText()).contains("[handbook.pdf#page=3]");
        assertThat(answer.path("details").path("citations").get(0).asText()).isEqualTo("handbook.pdf#page=3");
        assertThat(answer.path("details").path("steps")).hasSize(4);

        String id = events.getFirst().path("conversationId").asText();
        JsonNode list = json(c.get("/api/conversations"));
        assertThat(list.path("conversations").get(0).path("id").asText()).isEqualTo(id);
        JsonNode conversation = json(c.get("/api/conversations/" + id));
        assertThat(conversation.path("messages")).hasSize(2);
        assertThat(conversation.path("messages").get(1).path("details").path("citations").get(0).asText())
                .isEqualTo("handbook.pdf#page=3");
    }

    @Test
    void followUpQuestionCarriesTheConversationHistoryToTheModel() throws Exception {
        WebClient c = signedIn("alice");
        String id = events(c.post("/api/chat", "{\"question\":\"Tell me about vacation\"}", "x-csrf-token", c.csrf))
                .getFirst().path("conversationId").asText();
        c.post("/api/chat", "{\"conversationId\":\"" + id + "\",\"question\":\"and how many days?\"}", "x-csrf-token", c.csrf);
        List<dev.spillway.chat.flow.ChatMessage> sent = model.answerRequest().messages();
        assertThat(sent).extracting(dev.spillway.chat.flow.ChatMessage::content).contains("Tell me about vacation");
    }

    @Test
    void anotherUsersConversationIsNotFound() throws Exception {
        WebClient alice = signedIn("alice");
        String id = events(alice.post("/api/chat", "{\"question\":\"private?\"}", "x-csrf-token", alice.csrf))
                .getFirst().path("conversationId").asText();
        WebClient bob = signedIn("bob");
        assertThat(bob.get("/api/conversations/" + id).statusCode()).isEqualTo(404);
        assertThat(bob.post("/api/chat", "{\"conversationId\":\"" + id + "\",\"question\":\"hi\"}", "x-csrf-token", bob.csrf)
                .statusCode()).isEqualTo(404);
    }

    @Test
    void invalidSettingsGet400NamingTheField() throws Exception {
        WebClient c = signedIn("alice");
        HttpResponse<String> r = c.post("/api/chat", "{\"question\":\"q\",\"settings\":{\"mode\":\"fuzzy\"}}",
                "x-csrf-token", c.csrf);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("error").path("param").asText()).isEqualTo("settings.mode");
        assertThat(c.post("/api/chat", "{\"question\":\"q\",\"settings\":{\"topK\":500}}", "x-csrf-token", c.csrf)
                .statusCode()).isEqualTo(400);
        assertThat(c.post("/api/chat", "{\"question\":\"  \"}", "x-csrf-token", c.csrf).statusCode()).isEqualTo(400);
        assertThat(c.post("/api/chat", "not json", "x-csrf-token", c.csrf).statusCode()).isEqualTo(400);
    }

    @Test
    void documentPageIsServedAsJsonTextAndRespectsGroups() throws Exception {
        WebClient alice = signedIn("alice");
        HttpResponse<String> page = alice.get("/api/document?ref=handbook.pdf%23page%3D3");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type").orElseThrow()).startsWith("application/json");
        assertThat(json(page).path("text").asText()).contains("<script>alert(1)</script>");
        assertThat(alice.get("/api/document?ref=secret.pdf%23page%3D1").statusCode()).isEqualTo(404);
        assertThat(signedIn("bob").get("/api/document?ref=secret.pdf%23page%3D1").statusCode()).isEqualTo(200);
    }

    @Test
    void pagesCarryAStrictContentSecurityPolicy() throws Exception {
        HttpResponse<String> index = new WebClient(app.url()).get("/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("<script src=\"/app.js\" defer>");
        assertThat(index.headers().firstValue("content-security-policy").orElseThrow())
                .contains("script-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe-inline");
        assertThat(index.headers().firstValue("x-content-type-options")).contains("nosniff");
    }

    @Test
    void uiScriptsNeverInsertTextAsHtml() throws Exception {
        for (String file : List.of("app.js", "login.js", "doc.js", "markdown.js", "document-view.js")) {
            try (InputStream in = ChatServerTest.class.getResourceAsStream("/webroot/" + file)) {
                String js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertThat(js).as(file).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write");
            }
        }
    }

    @Test
    void modelFailureEndsTheStreamWithAnErrorEvent() throws Exception {
        WebClient c = signedIn("alice");
        var before = model.answer;
        model.answer = req -> {
            throw new ChatModel.ModelException(ChatModel.ModelException.Kind.REJECTED, 503, "the gateway answered 503: no healthy backend", null);
        };
        try {
            List<JsonNode> events = events(c.post("/api/chat", "{\"question\":\"q?\"}", "x-csrf-token", c.csrf));
            assertThat(events.getLast().path("type").asText()).isEqualTo("error");
            assertThat(events.getLast().path("message").asText()).contains("503");
        } finally {
            model.answer = before;
        }
    }

    @Test
    void oversizedBodyGets413WithTheEnvelope() throws Exception {
        WebClient c = signedIn("alice");
        HttpResponse<String> r = c.post("/api/chat", "{\"question\":\"" + "x".repeat(70_000) + "\"}", "x-csrf-token", c.csrf);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r).path("error").path("code").asText()).isEqualTo("request_too_large");
    }

    @Test
    void answerStreamIsNeverCompressedSoDeltasArriveAsWritten() throws Exception {
        WebClient c = signedIn("alice");
        HttpResponse<String> r = c.post("/api/chat", "{\"question\":\"q?\"}", "x-csrf-token", c.csrf,
                "accept-encoding", "gzip");
        assertThat(r.headers().firstValue("content-encoding")).isEmpty();
        assertThat(events(r).getLast().path("type").asText()).isEqualTo("answer");
    }

    @Test
    void signOutEndsTheSession() throws Exception {
        WebClient c = signedIn("alice");
        assertThat(c.post("/auth/logout", "{}", "x-csrf-token", c.csrf).statusCode()).isEqualTo(204);
        assertThat(c.get("/api/me").statusCode()).isEqualTo(401);
    }

    @Test
    void anAnswerCanBeRatedByItsOwnerAndTheRatingIsExportedWithItsQuestion() throws Exception {
        WebClient alice = signedIn("alice");
        List<JsonNode> events = events(alice.post("/api/chat", "{\"question\":\"How many vacation days?\"}", "x-csrf-token", alice.csrf));
        String id = events.getFirst().path("conversationId").asText();
        int seq = events.getLast().path("seq").asInt();
        assertThat(seq).isEqualTo(2);
        String rating = "/api/conversations/" + id + "/messages/" + seq + "/rating";
        assertThat(signedIn("bob").put(rating, "{\"rating\":\"up\"}").statusCode()).isEqualTo(404);
        HttpResponse<String> bad = alice.put(rating, "{\"rating\":\"great\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).path("error").path("param").asText()).isEqualTo("rating");
        assertThat(alice.put(rating, "{\"rating\":\"down\"}").statusCode()).isEqualTo(204);
        JsonNode answer = json(alice.get("/api/conversations/" + id)).path("messages").get(1);
        assertThat(answer.path("rating").asText()).isEqualTo("down");
        assertThat(answer.path("seq").asInt()).isEqualTo(2);
        HttpResponse<String> export = alice.get("/api/ratings");
        assertThat(export.headers().firstValue("content-type").orElseThrow()).startsWith("application/x-ndjson");
        JsonNode line = Json.MAPPER.readTree(export.body().lines().filter(l -> l.contains(id)).findFirst().orElseThrow());
        assertThat(line.path("question").asText()).isEqualTo("How many vacation days?");
        assertThat(line.path("rating").asText()).isEqualTo("down");
        assertThat(line.path("citations").isArray()).isTrue();
        assertThat(signedIn("bob").get("/api/ratings").body()).doesNotContain(id);
    }

    @Test
    void aFailedTurnIsStoredWithItsMessageForAPersonAndLeftOutOfTheNextPrompt() throws Exception {
        WebClient c = signedIn("alice");
        var before = model.answer;
        model.answer = req -> {
            throw new ChatModel.ModelException(ChatModel.ModelException.Kind.UNREACHABLE, 0,
                    "java.net.ConnectException: Connection refused", null);
        };
        String id;
        try {
            List<JsonNode> events = events(c.post("/api/chat", "{\"question\":\"first?\"}", "x-csrf-token", c.csrf));
            id = events.getFirst().path("conversationId").asText();
            assertThat(events.getLast().path("message").asText())
                    .isEqualTo("The model service is not reachable. Check that the gateway is running, then retry.")
                    .doesNotContain("Exception");
        } finally {
            model.answer = before;
        }
        JsonNode failed = json(c.get("/api/conversations/" + id)).path("messages").get(1);
        assertThat(failed.path("details").path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("details").path("error").asText()).startsWith("The model service is not reachable");
        events(c.post("/api/chat", "{\"conversationId\":\"" + id + "\",\"question\":\"second?\"}", "x-csrf-token", c.csrf));
        assertThat(model.answerRequest().messages()).extracting(ChatMessage::content).doesNotContain("first?");
    }

    @Test
    void meCarriesTheExampleQuestionsAndIndexingReportsReady() throws Exception {
        WebClient c = signedIn("alice");
        // None configured here, so they come from the documents the user may see.
        assertThat(json(c.get("/api/me")).path("examples")).extracting(JsonNode::asText)
                .containsExactly("What does handbook.pdf say about Vacation?", "What does benefits.md say about Dental?");
        JsonNode indexing = json(c.get("/api/indexing"));
        assertThat(indexing.path("ready").asBoolean()).isTrue();
        assertThat(indexing.path("percent").asInt()).isEqualTo(100);
    }

    @Test
    void aPageWithoutAnImageIs404AndTheTextSaysThereIsNoImage() throws Exception {
        WebClient c = signedIn("alice");
        assertThat(json(c.get("/api/document?ref=handbook.pdf%23page%3D3")).path("image").asBoolean()).isFalse();
        HttpResponse<String> r = c.get("/api/document/image?ref=handbook.pdf%23page%3D3&passage=x");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).path("error").path("code").asText()).isEqualTo("document_not_found");
    }
}
