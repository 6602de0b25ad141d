package dev.spillway.simulator;

import dev.spillway.core.config.ConfigNode;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One simulated deployment: its name (the URL's deployment id), the model it serves, how it is
 * throttled, and how it answers. PTU deployments use {@code capacityTokensPerSecond}; pay-as-you-go
 * ones use {@code tokensPerMinute} and {@code requestsPerMinute} (0 where not applicable). Immutable.
 */
public record DeploymentConfig(
        String name,
        String model,
        DeploymentKind kind,
        int capacityTokensPerSecond,
        int tokensPerMinute,
        int requestsPerMinute,
        int embeddingDimensions,
        Optional<Latency> latency,
        AnswerMode answerMode,
        int completionTokens) {
    /** Length of generated answers when neither the request nor {@code x-sim-completion-tokens} sets one. */
    public static final int DEFAULT_COMPLETION_TOKENS = 100;

    public DeploymentConfig {
        requireText(name, "name");
        requireText(model, "model");
        Objects.requireNonNull(kind, "kind: is required");
        Objects.requireNonNull(latency, "latency: is required");
        Objects.requireNonNull(answerMode, "answer-mode: is required");
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("name: must use only letters, digits, '.', '_' and '-', was '" + name + "'");
        }
        if (kind == DeploymentKind.PTU) {
            positive(capacityTokensPerSecond, "capacity-tokens-per-second");
        } else {
            positive(tokensPerMinute, "tokens-per-minute");
            positive(requestsPerMinute, "requests-per-minute");
        }
        if (isEmbeddings(model)) positive(embeddingDimensions, "embedding-dimensions");
        positive(completionTokens, "completion-tokens");
    }

    /** A provisioned chat deployment with {@code tokensPerSecond} capacity and no latency override. */
    public static DeploymentConfig ptu(String name, String model, int tokensPerSecond) {
        return new DeploymentConfig(name, model, DeploymentKind.PTU, tokensPerSecond, 0, 0, defaultDimensions(model),
                Optional.empty(), AnswerMode.AUTO, DEFAULT_COMPLETION_TOKENS);
    }

    /** A pay-as-you-go deployment with Azure's default of 6 requests/min per 1,000 tokens/min. */
    public static DeploymentConfig payAsYouGo(String name, String model, int tokensPerMinute) {
        return new DeploymentConfig(name, model, DeploymentKind.PAY_AS_YOU_GO, 0, tokensPerMinute,
                defaultRequestsPerMinute(tokensPerMinute), defaultDimensions(model), Optional.empty(),
                AnswerMode.AUTO, DEFAULT_COMPLETION_TOKENS);
    }

    public DeploymentConfig withRequestsPerMinute(int rpm) {
        return new DeploymentConfig(name, model, kind, capacityTokensPerSecond, tokensPerMinute, rpm,
                embeddingDimensions, latency, answerMode, completionTokens);
    }

    public DeploymentConfig withLatency(Latency value) {
        return new DeploymentConfig(name, model, kind, capacityTokensPerSecond, tokensPerMinute, requestsPerMinute,
                embeddingDimensions, Optional.of(value), answerMode, completionTokens);
    }

    public DeploymentConfig withAnswerMode(AnswerMode mode) {
        return new DeploymentConfig(name, model, kind, capacityTokensPerSecond, tokensPerMinute, requestsPerMinute,
                embeddingDimensions, latency, mode, completionTokens);
    }

    /** Whether this deployment serves embeddings (a {@code text-embedding-*} model) rather than chat. */
    public boolean servesEmbeddings() {
        return isEmbeddings(model);
    }

    /**
     * Whether this deployment serves legacy completions rather than chat: Azure's
     * {@code gpt-35-turbo-instruct}, {@code davinci-002} and {@code babbage-002} do; chat models
     * answer {@code /completions} with 400 {@code OperationNotSupported} (research/azure-api.md).
     */
    public boolean servesCompletions() {
        String m = model.toLowerCase(Locale.ROOT);
        return m.contains("instruct") || m.startsWith("davinci") || m.startsWith("babbage");
    }

    static DeploymentConfig from(ConfigNode node, Latency defaultLatency) {
        node.allowOnly("name", "model", "kind", "capacity-tokens-per-second", "tokens-per-minute",
                "requests-per-minute", "embedding-dimensions", "latency", "answer-mode", "completion-tokens");
        String name = node.requiredString("name");
        String model = node.requiredString("model");
        DeploymentKind kind = node.choice("kind", DeploymentKind.class, DeploymentKind.PAY_AS_YOU_GO);
        int capacity = node.integer("capacity-tokens-per-second", 0);
        int tpm = node.integer("tokens-per-minute", 0);
        int rpm = node.integer("requests-per-minute", defaultRequestsPerMinute(tpm));
        int dims = node.integer("embedding-dimensions", model == null ? 0 : defaultDimensions(model));
        Optional<Latency> latency = node.has("latency")
                ? Optional.ofNullable(Latency.from(node.child("latency"), defaultLatency)) : Optional.empty();
        AnswerMode mode = node.choice("answer-mode", AnswerMode.class, AnswerMode.AUTO);
        int completion = node.integer("completion-tokens", DEFAULT_COMPLETION_TOKENS);
        if (name == null || model == null) return null;
        return node.build(() -> new DeploymentConfig(name, model, kind, kind == DeploymentKind.PTU ? capacity : 0,
                kind == DeploymentKind.PTU ? 0 : tpm, kind == DeploymentKind.PTU ? 0 : rpm, dims, latency, mode,
                completion));
    }

    /** Azure's default ratio: 6 requests per minute for each 1,000 tokens per minute (at least 1). */
    static int defaultRequestsPerMinute(int tokensPerMinute) {
        return Math.max(1, (int) ((long) tokensPerMinute * 6 / 1000));
    }

    private static int defaultDimensions(String model) {
        if (!isEmbeddings(model)) return 0;
        return model.toLowerCase(Locale.ROOT).contains("3-large") ? 3072 : 1536;
    }

    private static boolean isEmbeddings(String model) {
        return model.toLowerCase(Locale.ROOT).contains("embedding");
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(field + ": is required");
    }

    private static void positive(int value, String field) {
        if (value <= 0) throw new IllegalArgumentException(field + ": must be > 0, was " + value);
    }
}
