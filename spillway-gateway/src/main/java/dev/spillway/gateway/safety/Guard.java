package dev.spillway.gateway.safety;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.redact.Detectors;
import dev.spillway.gateway.redact.Redactor;
import dev.spillway.gateway.redact.StreamingRedactor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One {@link GuardConfig} made ready to run: a redactor per direction holding the rules of the
 * checks turned on there, and the injection scorer. Scans prompts (messages, prompt, input) in
 * place, redacting where told to, and answer texts whole or as a stream. Immutable, thread-safe.
 */
final class Guard {
    /** The longest a streamed match may be held before it is released in parts (a private key block fits). */
    static final int MAX_HOLD = 16 * 1024;
    private static final InjectionScorer SCORER = new InjectionScorer();

    private final GuardConfig config;
    private final Redactor inputRules;
    private final Redactor outputRules;
    private final Map<String, Check> checkOfRule = new HashMap<>();

    Guard(GuardConfig config) {
        this.config = config;
        Map<Check, List<Redactor.Rule>> rules = Map.of(Check.PII, Detectors.pii(), Check.SECRETS, Detectors.secrets(),
                Check.CUSTOM, config.customRules());
        rules.forEach((check, list) -> list.forEach(r -> checkOfRule.putIfAbsent(r.name(), check)));
        this.inputRules = new Redactor(rulesFor(config.input(), rules));
        this.outputRules = new Redactor(rulesFor(config.output(), rules));
    }

    private static List<Redactor.Rule> rulesFor(Map<Check, Action> actions, Map<Check, List<Redactor.Rule>> rules) {
        List<Redactor.Rule> on = new ArrayList<>();
        for (Check c : List.of(Check.SECRETS, Check.PII, Check.CUSTOM)) if (actions.containsKey(c)) on.addAll(rules.get(c));
        return on;
    }

    GuardConfig config() {
        return config;
    }

    boolean checksOutput() {
        return !config.output().isEmpty();
    }

    /** The texts an external check reads: the user's words, and tool results as documents. */
    record PromptTexts(List<String> prompts, List<String> documents) {}

    PromptTexts promptTexts(Operation op, ObjectNode body) {
        PromptTexts texts = new PromptTexts(new ArrayList<>(), new ArrayList<>());
        if (op != Operation.CHAT_COMPLETIONS) {
            collect(body.get(op == Operation.EMBEDDINGS ? "input" : "prompt"), texts.prompts());
            return texts;
        }
        for (JsonNode m : body.path("messages")) {
            String role = m.path("role").asText("");
            List<String> into = role.equals("user") ? texts.prompts()
                    : role.equals("tool") || role.equals("function") ? texts.documents() : null;
            if (into == null) continue;
            JsonNode content = m.get("content");
            if (content != null && content.isArray()) {
                for (JsonNode part : content) if ("text".equals(part.path("type").asText())) collect(part.get("text"), into);
            } else {
                collect(content, into);
            }
        }
        return texts;
    }

    private static void collect(JsonNode v, List<String> into) {
        if (v != null && v.isTextual()) into.add(v.asText());
        else if (v != null && v.isArray()) for (JsonNode t : v) if (t.isTextual()) into.add(t.asText());
    }

    /** Scans the prompt texts of {@code body}, redacting in place; returns what fired. */
    List<Finding> scanInput(Operation op, ObjectNode body) {
        List<Finding> findings = new ArrayList<>();
        if (op == Operation.CHAT_COMPLETIONS) {
            config.limits().check(body);
            for (JsonNode m : body.path("messages")) {
                if (m instanceof ObjectNode message) scanMessage(message, findings);
            }
        } else {
            String field = op == Operation.EMBEDDINGS ? "input" : "prompt";
            scanTexts(body, field, true, false, findings);
        }
        return findings;
    }

    private void scanMessage(ObjectNode message, List<Finding> findings) {
        String role = message.path("role").asText("").toLowerCase(Locale.ROOT);
        boolean indirect = role.equals("tool") || role.equals("function");
        // The app's own system and developer messages are trusted: they often say "never reveal your rules".
        boolean score = indirect || role.equals("user");
        JsonNode content = message.get("content");
        if (content != null && content.isArray()) {
            for (JsonNode part : content) {
                if (part instanceof ObjectNode p && "text".equals(p.path("type").asText())) {
                    scanTexts(p, "text", score, indirect, findings);
                }
            }
        } else {
            scanTexts(message, "content", score, indirect, findings);
        }
    }

    /** Scans {@code holder.field}, a string or an array of strings. */
    private void scanTexts(ObjectNode holder, String field, boolean score, boolean indirect, List<Finding> findings) {
        JsonNode v = holder.get(field);
        if (v != null && v.isTextual()) {
            String scanned = scanInputText(v.asText(), score, indirect, findings);
            if (scanned != null) holder.put(field, scanned);
        } else if (v != null && v.isArray()) {
            for (int i = 0; i < v.size(); i++) {
                if (!v.get(i).isTextual()) continue;
                String scanned = scanInputText(v.get(i).asText(), score, indirect, findings);
                if (scanned != null) ((com.fasterxml.jackson.databind.node.ArrayNode) v).set(i, TextNode.valueOf(scanned));
            }
        }
    }

    /** The redacted text, or null when nothing was redacted. */
    private String scanInputText(String text, boolean score, boolean indirect, List<Finding> findings) {
        Action injection = config.input().get(Check.INJECTION);
        if (injection != null && score) {
            InjectionScorer.Score s = SCORER.score(text);
            if (s.value() >= config.injectionThreshold()) {
                findings.add(new Finding(Check.INJECTION, s.top().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                        injection, Finding.Side.INPUT, indirect));
            }
        }
        return redactHits(text, inputRules, config.input(), Finding.Side.INPUT, findings);
    }

    /** Whether an output check finds anything in {@code text}, to act on or only to report. */
    boolean outputHits(String text) {
        return !outputRules.hits(text).isEmpty();
    }

    /** Scans one whole answer text; returns the redacted text, or null when nothing was redacted. */
    String scanOutputText(String text, List<Finding> findings) {
        return redactHits(text, outputRules, config.output(), Finding.Side.OUTPUT, findings);
    }

    private String redactHits(String text, Redactor rules, Map<Check, Action> actions, Finding.Side side,
            List<Finding> findings) {
        List<Redactor.Hit> hits = rules.hits(text);
        if (hits.isEmpty()) return null;
        boolean redacted = false;
        for (Redactor.Hit h : hits) {
            Finding f = finding(h, actions, side);
            findings.add(f);
            redacted |= f.action() == Action.REDACT;
        }
        return redacted ? Redactor.redact(text, hits, h -> action(h, actions) == Action.REDACT) : null;
    }

    /** A streamed answer's redactor for one choice; {@code seen} gets each finding as its text is released. */
    StreamingRedactor outputStream(Consumer<Finding> seen) {
        return new StreamingRedactor(outputRules, config.holdBack(), MAX_HOLD,
                h -> action(h, config.output()) == Action.REDACT,
                h -> seen.accept(finding(h, config.output(), Finding.Side.OUTPUT)));
    }

    private Finding finding(Redactor.Hit h, Map<Check, Action> actions, Finding.Side side) {
        Check check = checkOfRule.getOrDefault(h.rule(), Check.CUSTOM);
        return new Finding(check, h.rule(), actions.get(check), side);
    }

    private Action action(Redactor.Hit h, Map<Check, Action> actions) {
        return actions.get(checkOfRule.getOrDefault(h.rule(), Check.CUSTOM));
    }
}
