package dev.spillway.chat.web;

import dev.spillway.chat.flow.StepRecord;
import dev.spillway.chat.flow.TurnResult;
import dev.spillway.retrieval.Hit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a {@link TurnResult} into the JSON the UI shows beside an answer (sources, citations,
 * follow-ups, the thought process) and that history stores with it. Stateless.
 */
final class TurnDetails {
    private TurnDetails() {
    }

    static Map<String, Object> of(TurnResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("query", r.query());
        m.put("citations", r.citations());
        m.put("followUps", r.followUps());
        m.put("sources", r.sources().stream().map(TurnDetails::source).toList());
        m.put("steps", r.steps().stream().map(TurnDetails::step).toList());
        m.put("usage", Map.of("promptTokens", r.usage().promptTokens(), "completionTokens", r.usage().completionTokens(),
                "totalTokens", r.usage().totalTokens(), "estimated", r.usage().estimated()));
        return m;
    }

    private static Map<String, Object> source(Hit h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("citation", h.citation());
        m.put("source", h.source());
        m.put("page", h.page());
        m.put("section", h.section());
        m.put("score", h.score());
        m.put("text", h.text());
        return m;
    }

    private static Map<String, Object> step(StepRecord s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.step());
        m.put("ms", s.elapsed().toMillis());
        m.put("inputs", s.inputs());
        m.put("outputs", s.outputs());
        return m;
    }

}
