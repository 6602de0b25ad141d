package dev.spillway.simulator.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Chooses the function to call and writes plausible JSON arguments for it: the named function of
 * {@code tool_choice}, else the tool whose name and description share most words with the last user
 * message. Each parameter gets a value of its schema type (enum's first value, the question's proper
 * nouns or last words for strings, seeded numbers). Stateless.
 */
final class ToolCallPlanner {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ToolCallPlanner() {
    }

    record Call(String name, String arguments) {
    }

    static Call plan(ChatRequest request, long seed) {
        ChatRequest.Tool tool = choose(request);
        SplittableRandom random = new SplittableRandom(seed);
        List<String> words = ExtractiveAnswerer.contentWords(request.lastUserText());
        return new Call(tool.name(), value(tool.parameters(), "", words, random, 0).toString());
    }

    private static ChatRequest.Tool choose(ChatRequest request) {
        if (request.toolChoice().function().isPresent()) {
            String name = request.toolChoice().function().get();
            return request.tools().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
        }
        Set<String> question = new HashSet<>(ExtractiveAnswerer.terms(request.lastUserText()));
        ChatRequest.Tool best = request.tools().getFirst();
        long bestOverlap = 0;
        for (ChatRequest.Tool t : request.tools()) {
            long overlap = ExtractiveAnswerer.terms(t.name().replace('_', ' ') + " " + t.description()).stream()
                    .distinct().filter(question::contains).count();
            if (overlap > bestOverlap) {
                best = t;
                bestOverlap = overlap;
            }
        }
        return best;
    }

    private static JsonNode value(JsonNode schema, String key, List<String> words, SplittableRandom random, int depth) {
        if (schema.path("enum").isArray() && !schema.path("enum").isEmpty()) return schema.path("enum").get(0);
        String type = schema.path("type").isTextual() ? schema.path("type").asText() : "object";
        return switch (type) {
            case "integer" -> NODES.numberNode(1 + random.nextInt(10));
            case "number" -> NODES.numberNode(Math.round(random.nextDouble() * 1000) / 10.0);
            case "boolean" -> NODES.booleanNode(true);
            case "array" -> array(schema, key, words, random, depth);
            case "object" -> object(schema, words, random, depth);
            default -> NODES.textNode(text(key, words));
        };
    }

    private static ObjectNode object(JsonNode schema, List<String> words, SplittableRandom random, int depth) {
        ObjectNode out = NODES.objectNode();
        if (depth > 8) return out;
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            out.set(p.getKey(), value(p.getValue(), p.getKey(), words, random, depth + 1));
        }
        return out;
    }

    private static ArrayNode array(JsonNode schema, String key, List<String> words, SplittableRandom random, int depth) {
        ArrayNode out = NODES.arrayNode();
        if (depth <= 8) out.add(value(schema.path("items"), key, words, random, depth + 1));
        return out;
    }

    /** Proper nouns of the question after its first word ("Paris"), else its last two words. */
    private static String text(String key, List<String> words) {
        List<String> names = words.stream().skip(1).filter(w -> Character.isUpperCase(w.charAt(0))).toList();
        if (!names.isEmpty()) return String.join(" ", names);
        if (!words.isEmpty()) return String.join(" ", words.subList(Math.max(0, words.size() - 2), words.size()));
        return key.isEmpty() ? "value" : "example " + key.replace('_', ' ');
    }
}
