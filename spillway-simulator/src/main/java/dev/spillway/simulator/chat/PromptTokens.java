package dev.spillway.simulator.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.simulator.tokens.TokenCounter;
import java.util.Iterator;
import java.util.Map;

/**
 * Counts prompt tokens with the rules of OpenAI's cookbook ("How to count tokens with tiktoken"):
 * 3 per message plus its role, content and name (+1 for a name), 3 for the reply primer, and the
 * function-definition rules for tools (7 per function on the o200k family, 10 before; 12 at the end).
 * Stateless.
 */
final class PromptTokens {
    private PromptTokens() {
    }

    static int count(ChatRequest request, TokenCounter counter, boolean o200k) {
        if (request.legacyCompletion()) return counter.count(request.messages().getFirst().text());
        int total = 3;
        for (ChatRequest.Message m : request.messages()) {
            total += 3 + counter.count(m.role()) + counter.count(m.text()) + counter.count(m.toolCallText());
            if (m.name().isPresent()) total += 1 + counter.count(m.name().get());
        }
        return total + tools(request, counter, o200k);
    }

    private static int tools(ChatRequest request, TokenCounter counter, boolean o200k) {
        if (request.tools().isEmpty()) return 0;
        int total = 12;
        for (ChatRequest.Tool tool : request.tools()) {
            total += (o200k ? 7 : 10) + counter.count(tool.name() + ":" + trimDot(tool.description()));
            JsonNode properties = tool.parameters().path("properties");
            if (properties.isEmpty()) continue;
            total += 3;
            for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                total += 3 + counter.count(p.getKey() + ":" + p.getValue().path("type").asText("")
                        + ":" + trimDot(p.getValue().path("description").asText("")));
                for (JsonNode item : p.getValue().path("enum")) total += 3 + counter.count(item.asText());
                if (p.getValue().has("enum")) total -= 3;
            }
        }
        return total;
    }

    private static String trimDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
