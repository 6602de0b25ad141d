package dev.spillway.gateway.safety;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.gateway.redact.Detectors;
import dev.spillway.gateway.redact.Redactor;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One guard of {@code gateway.safety.guards}: which traffic it covers ({@code apps}, {@code keys},
 * {@code deployments}; an empty list matches all), the action of each check on the prompt
 * ({@code input}) and on the answer ({@code output}), the injection score that fires
 * ({@code injection-threshold}, default 0.5), the app's own {@code custom-patterns} and
 * {@code blocked-words} (the {@code custom} check), request {@code limits}, and the streamed
 * answer's {@code hold-back} in characters (default 64), the external {@code content-safety}
 * check (default none) and the {@code client-ips} its requests may come from (default any). Immutable.
 */
public record GuardConfig(String name, Set<String> apps, Set<String> keys, Set<String> deployments,
        Map<Check, Action> input, Map<Check, Action> output, double injectionThreshold,
        List<Redactor.Rule> customPatterns, List<String> blockedWords, RequestLimits limits, int holdBack,
        Optional<ContentSafetyConfig> contentSafety, ClientIps clientIps) {
    public static final double DEFAULT_THRESHOLD = 0.5;
    public static final int DEFAULT_HOLD_BACK = 64;

    public GuardConfig {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name: must not be empty");
        java.util.Objects.requireNonNull(clientIps, "client-ips");
        apps = Set.copyOf(apps);
        keys = Set.copyOf(keys);
        deployments = Set.copyOf(deployments);
        input = Map.copyOf(input);
        output = Map.copyOf(output);
        customPatterns = List.copyOf(customPatterns);
        blockedWords = List.copyOf(blockedWords);
        if (!(injectionThreshold > 0 && injectionThreshold <= 1)) {
            throw new IllegalArgumentException("injection-threshold: must be > 0 and <= 1, was " + injectionThreshold);
        }
        if (input.get(Check.INJECTION) == Action.REDACT) {
            throw new IllegalArgumentException("input.injection: cannot redact (a score has no span); use block, annotate or log");
        }
        if (input.containsKey(Check.CONTENT_SAFETY) && contentSafety.isEmpty()) {
            throw new IllegalArgumentException("input.content-safety: needs the guard's content-safety section (endpoint)");
        }
        if (input.get(Check.CONTENT_SAFETY) == Action.REDACT) {
            throw new IllegalArgumentException("input.content-safety: cannot redact (it reports no span); use block, annotate or log");
        }
        if (output.containsKey(Check.CONTENT_SAFETY)) {
            throw new IllegalArgumentException("output.content-safety: the external check reads prompts only; remove it from output");
        }
        if (output.containsKey(Check.INJECTION)) {
            throw new IllegalArgumentException("output.injection: the injection check reads prompts only; remove it from output");
        }
        boolean custom = input.containsKey(Check.CUSTOM) || output.containsKey(Check.CUSTOM);
        if (custom && customPatterns.isEmpty() && blockedWords.isEmpty()) {
            throw new IllegalArgumentException("custom: needs custom-patterns or blocked-words");
        }
        for (Redactor.Rule r : customPatterns) {
            boolean builtIn = java.util.stream.Stream.concat(Detectors.pii().stream(), Detectors.secrets().stream())
                    .anyMatch(b -> b.name().equals(r.name()));
            if (builtIn || r.name().equals("blocked-word")) {
                throw new IllegalArgumentException("custom-patterns: '" + r.name() + "' is a built-in rule name; pick another");
            }
        }
        if (holdBack < 16 || holdBack > 4096) {
            throw new IllegalArgumentException("hold-back: must be 16-4096 characters, was " + holdBack);
        }
    }

    /** Whether this guard covers a request of {@code app} with key {@code key} to {@code deployment}. */
    public boolean covers(String app, String key, String deployment) {
        return (apps.isEmpty() || apps.contains(app)) && (keys.isEmpty() || keys.contains(key))
                && (deployments.isEmpty() || deployments.contains(deployment));
    }

    /** The custom check's rules: the patterns, and the words as one whole-word, case-blind rule. */
    List<Redactor.Rule> customRules() {
        if (blockedWords.isEmpty()) return customPatterns;
        String alternatives = String.join("|", blockedWords.stream().map(Pattern::quote).toList());
        Redactor.Rule words = new Redactor.Rule("blocked-word",
                Pattern.compile("(?iu)(?<![\\p{L}\\p{N}])(?:" + alternatives + ")(?![\\p{L}\\p{N}])"), s -> true);
        return java.util.stream.Stream.concat(customPatterns.stream(), java.util.stream.Stream.of(words)).toList();
    }

    static GuardConfig from(ConfigNode n) {
        n.allowOnly("name", "apps", "keys", "deployments", "input", "output", "injection-threshold",
                "custom-patterns", "blocked-words", "limits", "hold-back", "content-safety", "client-ips");
        String name = n.requiredString("name");
        Map<Check, Action> input = actions(n.child("input"));
        Map<Check, Action> output = actions(n.child("output"));
        List<Redactor.Rule> patterns = n.list("custom-patterns", Redactor::custom);
        RequestLimits limits = RequestLimits.from(n.child("limits"));
        Optional<ContentSafetyConfig> contentSafety = ContentSafetyConfig.from(n.child("content-safety"));
        ClientIps clientIps = ClientIps.from(n.child("client-ips"));
        return n.build(() -> new GuardConfig(name, Set.copyOf(n.strings("apps")), Set.copyOf(n.strings("keys")),
                Set.copyOf(n.strings("deployments")), input, output,
                n.decimal("injection-threshold", DEFAULT_THRESHOLD), patterns, n.strings("blocked-words"), limits,
                n.integer("hold-back", DEFAULT_HOLD_BACK), contentSafety, clientIps));
    }

    private static Map<Check, Action> actions(ConfigNode n) {
        Map<Check, Action> actions = new EnumMap<>(Check.class);
        if (!n.isPresent()) return actions;
        n.allowOnly(Set.copyOf(ConfigNode.kebabNames(Check.class)));
        for (Check c : Check.values()) {
            if (n.has(c.label())) actions.put(c, n.choice(c.label(), Action.class, Action.LOG));
        }
        return actions;
    }
}
