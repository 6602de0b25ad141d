package dev.spillway.gateway.safety;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Json;
import java.util.List;

/**
 * Writes findings in Azure's content-filter vocabulary (azure-api.md §1.10), next to whatever the
 * backend reported: an injection in the user's words is {@code jailbreak}, one in a tool result or
 * document is {@code indirect_attack} (both {@code {filtered, detected}}); every other finding is a
 * {@code custom_blocklists} detail with id {@code <check>:<rule>}, e.g. {@code pii:email}. Content
 * Safety's prompt shield is {@code jailbreak}/{@code indirect_attack} too, and its categories keep
 * Azure's {@code {filtered, severity}} entries ({@code violence}, {@code hate}, ...).
 * {@code filtered} is true when the gateway blocked or redacted. Findings with action {@code log}
 * are not shown. Stateless.
 */
final class FilterResults {
    private FilterResults() {
    }

    /** The findings alone, as a {@code content_filter_result(s)} object. */
    static ObjectNode of(List<Finding> findings) {
        ObjectNode results = Json.MAPPER.createObjectNode();
        mergeInto(results, findings);
        return results;
    }

    /** Adds the visible findings to an existing {@code content_filter_results} object. */
    static void mergeInto(ObjectNode results, List<Finding> findings) {
        for (Finding f : findings) {
            if (!f.action().visible()) continue;
            boolean filtered = f.action() == Action.BLOCK || f.action() == Action.REDACT;
            if (f.check() == Check.CONTENT_SAFETY && f.rule().contains(":")) {
                // A Content Safety category: Azure's own severity shape (azure-api.md §1.10).
                String[] category = f.rule().split(":", 2);
                results.withObjectProperty(category[0]).put("filtered", filtered).put("severity", category[1]);
            } else if (f.check() == Check.INJECTION || f.check() == Check.CONTENT_SAFETY) {
                ObjectNode flag = results.withObjectProperty(f.indirect() ? "indirect_attack" : "jailbreak");
                flag.put("filtered", filtered || flag.path("filtered").asBoolean(false)).put("detected", true);
            } else {
                addDetail(results, f.check().label() + ":" + f.rule(), filtered);
            }
        }
    }

    /** Older captures send {@code custom_blocklists} as a list, newer as {@code {filtered, details}}. */
    private static void addDetail(ObjectNode results, String id, boolean filtered) {
        JsonNode existing = results.get("custom_blocklists");
        ArrayNode details;
        if (existing instanceof ArrayNode list) {
            details = list;
        } else {
            ObjectNode lists = results.withObjectProperty("custom_blocklists");
            lists.put("filtered", filtered || lists.path("filtered").asBoolean(false));
            details = lists.withArrayProperty("details");
        }
        for (JsonNode d : details) {
            if (id.equals(d.path("id").asText())) {
                if (filtered) ((ObjectNode) d).put("filtered", true);
                return;
            }
        }
        details.addObject().put("filtered", filtered).put("id", id);
    }

    /** Merges the prompt's findings into {@code prompt_filter_results[prompt_index 0]}, creating it if absent. */
    static void mergePromptResults(ObjectNode response, List<Finding> findings) {
        if (findings.stream().noneMatch(f -> f.action().visible())) return;
        ArrayNode prompts = response.withArrayProperty("prompt_filter_results");
        ObjectNode first = null;
        for (JsonNode p : prompts) if (p.path("prompt_index").asInt(-1) == 0 && p instanceof ObjectNode o) first = o;
        if (first == null) first = prompts.addObject().put("prompt_index", 0);
        mergeInto(first.withObjectProperty("content_filter_results"), findings);
    }
}
