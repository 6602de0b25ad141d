package dev.spillway.simulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.error.SpillwayException.InvalidRequest;
import dev.spillway.core.wire.Json;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Azure AI Content Safety's two text operations, answered deterministically so the gateway's
 * external check is tested offline: {@code POST /contentsafety/text:shieldPrompt} reports an attack
 * in the user prompt or a document when it holds one of {@link #ATTACK_MARKERS}, and
 * {@code POST /contentsafety/text:analyze} gives a category severity 4 (of 0/2/4/6) when the text
 * holds one of its {@link #CATEGORY_WORDS}. Both require {@code api-version}. Stateless.
 */
final class ContentSafety {
    static final String PREFIX = "/contentsafety/text:";
    static final List<String> ATTACK_MARKERS = List.of("ignore previous instructions", "ignore all previous instructions",
            "disregard your instructions", "do anything now", "developer mode", "jailbreak", "reveal your system prompt");
    static final Map<String, List<String>> CATEGORY_WORDS = Map.of("Hate", List.of("sim-hate"),
            "SelfHarm", List.of("sim-self-harm"), "Sexual", List.of("sim-sexual"),
            "Violence", List.of("sim-violence", "build a bomb"));
    private static final List<String> CATEGORIES = List.of("Hate", "SelfHarm", "Sexual", "Violence");

    private ContentSafety() {
    }

    static boolean owns(String path) {
        return path.startsWith(PREFIX);
    }

    /** The response body for {@code operation} ({@code shieldPrompt} or {@code analyze}). */
    static Buffer answer(String operation, JsonNode body) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        switch (operation) {
            case "shieldPrompt" -> {
                out.putObject("userPromptAnalysis").put("attackDetected", attack(body.path("userPrompt").asText("")));
                var docs = out.putArray("documentsAnalysis");
                for (JsonNode d : body.path("documents")) docs.addObject().put("attackDetected", attack(d.asText("")));
            }
            case "analyze" -> {
                if (!body.path("text").isTextual()) {
                    throw new InvalidRequest("InvalidRequestBody", "'text' is required and must be a string.", "text");
                }
                String text = body.path("text").asText().toLowerCase(Locale.ROOT);
                out.putArray("blocklistsMatch");
                var analysis = out.putArray("categoriesAnalysis");
                for (String c : CATEGORIES) {
                    boolean hit = CATEGORY_WORDS.get(c).stream().anyMatch(text::contains);
                    analysis.addObject().put("category", c).put("severity", hit ? 4 : 0);
                }
            }
            default -> throw new InvalidRequest("OperationNotSupported", "Unknown Content Safety operation 'text:"
                    + operation + "'; the simulator serves text:shieldPrompt and text:analyze.", null);
        }
        try {
            return Buffer.buffer(Json.MAPPER.writeValueAsBytes(out));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean attack(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return ATTACK_MARKERS.stream().anyMatch(lower::contains);
    }
}
