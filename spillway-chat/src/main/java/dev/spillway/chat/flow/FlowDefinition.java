package dev.spillway.chat.flow;

import dev.spillway.core.config.ConfigException;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The chat flow read from a YAML file ({@code flow.yaml} in the jar by default): the steps in the
 * order they run and each step's prompt templates. Step kinds are fixed ({@code rewrite},
 * {@code retrieve}, {@code answer}, {@code follow-ups}); {@code rewrite} and {@code follow-ups} may be
 * left out. Immutable.
 */
public record FlowDefinition(List<StepSpec> steps) {
    public static final List<String> KINDS = List.of("rewrite", "retrieve", "answer", "follow-ups");
    private static final Map<String, Set<String>> PLACEHOLDERS = Map.of(
            "rewrite", Set.of("history", "question"),
            "retrieve", Set.of(),
            "answer", Set.of("sources", "question", "follow-up-count"),
            "follow-ups", Set.of());

    public FlowDefinition {
        steps = List.copyOf(steps);
        List<String> names = steps.stream().map(StepSpec::name).toList();
        if (!names.contains("retrieve") || !names.contains("answer")) {
            throw new IllegalArgumentException("steps: must include 'retrieve' and 'answer'");
        }
        List<String> expected = KINDS.stream().filter(names::contains).toList();
        if (!expected.equals(names)) {
            throw new IllegalArgumentException("steps: must run in the order " + KINDS + " (optional ones may be"
                    + " left out), was " + names);
        }
    }

    /**
     * One step as the file declares it: its prompts (empty for steps without a model call), an
     * optional fixed temperature, an answer-length cap, and for {@code follow-ups} how many to offer.
     */
    public record StepSpec(String name, Template system, Template user, Optional<Double> temperature,
                           int maxTokens, int count) {
        public StepSpec {
            if (!KINDS.contains(name)) throw new IllegalArgumentException("name: must be one of " + KINDS + ", was '" + name + "'");
            Set<String> unknown = new java.util.TreeSet<>(system.unknownPlaceholders(PLACEHOLDERS.get(name)));
            unknown.addAll(user.unknownPlaceholders(PLACEHOLDERS.get(name)));
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException("system: unknown placeholders " + unknown + "; step '" + name
                        + "' offers " + new java.util.TreeSet<>(PLACEHOLDERS.get(name)));
            }
            if (maxTokens < 1) throw new IllegalArgumentException("max-tokens: must be > 0, was " + maxTokens);
            if (count < 0 || count > 10) throw new IllegalArgumentException("count: must be 0-10, was " + count);
        }

        static StepSpec from(ConfigNode node) {
            node.allowOnly("name", "system", "user", "temperature", "max-tokens", "count");
            Optional<Double> temperature = node.has("temperature") ? Optional.of(node.decimal("temperature", 0))
                    : Optional.empty();
            return node.build(() -> new StepSpec(node.requiredString("name"), new Template(node.string("system", "")),
                    new Template(node.string("user", "")), temperature, node.integer("max-tokens", 800),
                    node.integer("count", 3)));
        }
    }

    public Optional<StepSpec> step(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The flow built into the jar. */
    public static FlowDefinition builtIn() {
        try (InputStream in = FlowDefinition.class.getResourceAsStream("flow.yaml")) {
            if (in == null) throw new IllegalStateException("flow.yaml is missing from the jar");
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "flow.yaml (built in)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static FlowDefinition load(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": cannot read: " + e.getMessage()));
        }
    }

    /** Parses a flow file; every problem is reported with its path, prefixed by {@code origin}. */
    public static FlowDefinition parse(String yaml, String origin) {
        ConfigNode root = ConfigLoader.parse(yaml, Map.of());
        root.allowOnly("steps");
        List<StepSpec> steps = root.list("steps", StepSpec::from);
        FlowDefinition flow = root.build(() -> new FlowDefinition(steps));
        if (!root.problems().isEmpty()) {
            List<String> problems = new ArrayList<>();
            for (String p : root.problems()) problems.add(origin + ": " + p);
            throw new ConfigException(problems);
        }
        return flow;
    }
}
