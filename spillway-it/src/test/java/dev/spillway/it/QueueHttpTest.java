package dev.spillway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded message queue's HTTP way in, end to end on the simulator: an app without AMQP
 * publishes a request, the lane runs it in the PTU's headroom (its own rounds, every
 * {@code poll-interval}), and the answer waits on the app's reply queue with the request's
 * correlation id; the ledger row is in the batch class. Bad input gets the error envelope.
 */
class QueueHttpTest {
    static Stack stack;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack();
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stack.url() + path)).timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) b.header("api-key", key);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRequestPublishedOverHttpIsAnsweredOnItsReplyQueueWithItsCorrelationIdAndLedgeredAsBatch() throws Exception {
        HttpResponse<String> published = send("POST", "/v1/queue/requests", """
                {"deployment":"gpt-4o","correlation_id":"corr-7","reply_to":"tagging-answers",
                 "body":{"max_tokens":12,"messages":[{"role":"user","content":"Tag this ticket."}]}}""", Stack.KEY);
        assertThat(published.statusCode()).as(published.body()).isEqualTo(202);
        JsonNode queued = Json.MAPPER.readTree(published.body());
        assertThat(queued.path("id").asText()).startsWith("qreq_");
        assertThat(queued.path("status").asText()).isEqualTo("queued");

        JsonNode replies = Json.MAPPER.createObjectNode();
        for (int i = 0; i < 150 && replies.path("data").isEmpty(); i++) {
            if (i > 0) Thread.sleep(100);
            replies = Json.MAPPER.readTree(send("GET", "/v1/queue/replies/tagging-answers", null, Stack.KEY).body());
        }
        assertThat(replies.path("data")).hasSize(1);
        JsonNode reply = replies.path("data").path(0);
        assertThat(reply.path("correlation_id").asText()).isEqualTo("corr-7");
        assertThat(reply.path("status").asInt()).isEqualTo(200);
        assertThat(reply.path("body").path("choices").path(0).path("message").path("content").asText()).isNotEmpty();
        String requestId = reply.path("request_id").asText();
        assertThat(priorityInLedger(requestId)).isEqualTo("batch");

        HttpResponse<String> ack = send("POST", "/v1/queue/replies/tagging-answers/ack",
                "{\"ids\":[\"" + reply.path("id").asText() + "\"]}", Stack.KEY);
        assertThat(Json.MAPPER.readTree(ack.body()).path("acknowledged").asInt()).isEqualTo(1);
        assertThat(Json.MAPPER.readTree(send("GET", "/v1/queue/replies/tagging-answers", null, Stack.KEY).body())
                .path("data")).isEmpty();
    }

    /** The ledger row's priority class, once the spool has drained it (at most a few seconds). */
    String priorityInLedger(String requestId) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + stack.data.resolve("spillway.db"))) {
            for (int i = 0; i < 100; i++) {
                try (PreparedStatement ps = c.prepareStatement("SELECT priority FROM usage_ledger WHERE request_id = ?")) {
                    ps.setString(1, requestId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) return rs.getString(1);
                    }
                }
                Thread.sleep(100);
            }
        }
        return "no ledger row for " + requestId;
    }

    @Test
    void badInputGetsTheErrorEnvelope() throws Exception {
        assertError(send("POST", "/v1/queue/requests", "{\"deployment\":\"gpt-4o\"}", Stack.KEY), 400,
                "missing_required_parameter");
        assertError(send("POST", "/v1/queue/requests", "{\"deployment\":\"nope\",\"body\":{}}", Stack.KEY), 404,
                "DeploymentNotFound");
        assertError(send("POST", "/v1/queue/requests", "{\"deployment\":\"gpt-4o\",\"body\":{\"stream\":true}}",
                Stack.KEY), 400, "invalid_value");
        assertError(send("POST", "/v1/queue/requests", "{\"deployment\":\"gpt-4o\",\"endpoint\":\"/v1/models\","
                + "\"body\":{}}", Stack.KEY), 400, "invalid_endpoint");
        assertError(send("POST", "/v1/queue/requests", "not json", Stack.KEY), 400, "invalid_json");
        assertError(send("GET", "/v1/queue/replies/bad%20name", null, Stack.KEY), 400, "invalid_value");
        assertError(send("GET", "/v1/queue/replies/mine?limit=0", null, Stack.KEY), 400, "invalid_limit");
        assertError(send("POST", "/v1/queue/replies/mine/ack", "{\"ids\":[]}", Stack.KEY), 400, "invalid_value");
        assertError(send("DELETE", "/v1/queue/requests", null, Stack.KEY), 405, null);
        assertThat(send("GET", "/v1/queue/replies/mine", null, null).statusCode()).isEqualTo(401);
    }

    static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode error = Json.MAPPER.readTree(r.body()).path("error");
        assertThat(error.path("message").asText()).isNotEmpty();
        if (code != null) assertThat(error.path("code").asText()).isEqualTo(code);
    }
}
