package dev.spillway.chat.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.chat.history.HistoryStore.RatedAnswer;
import dev.spillway.core.wire.Json;

/**
 * One rated answer as a JSON line for evaluation: who, which turn, the question, the answer, its
 * rating and the citations and search query it was built from. Shared by the HTTP export and
 * {@code spillway chat ratings}. Stateless.
 */
public final class RatedAnswers {
    private RatedAnswers() {
    }

    public static String line(RatedAnswer a) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("user", a.userId()).put("conversation", a.conversationId()).put("seq", a.seq())
                .put("rating", a.rating()).put("ratedAt", a.ratedAt().toString())
                .put("question", a.question()).put("answer", a.answer());
        JsonNode details = details(a.details());
        o.put("query", details.path("query").asText(""));
        o.set("citations", details.path("citations").isArray() ? details.get("citations") : Json.MAPPER.createArrayNode());
        if (details.has("status")) o.put("status", details.path("status").asText());
        try {
            return Json.MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode details(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return Json.MAPPER.createObjectNode();
        }
    }
}
