package dev.spillway.bench;

import java.util.OptionalInt;

/**
 * Request shapes of Azure's azure-openai-benchmark: prompt ("context") tokens and {@code max_tokens}.
 * {@code CUSTOM} takes both from the caller.
 */
public enum Shape {
    BALANCED(500, 500),
    CONTEXT(2000, 200),
    GENERATION(500, 1000),
    CUSTOM(0, 0);

    private final int contextTokens;
    private final int maxTokens;

    Shape(int contextTokens, int maxTokens) {
        this.contextTokens = contextTokens;
        this.maxTokens = maxTokens;
    }

    /** The shape's token counts, each overridden by the caller's value when one is given. */
    public RequestShape resolve(OptionalInt context, OptionalInt max) {
        if (this == CUSTOM && (context.isEmpty() || max.isEmpty())) {
            throw new IllegalArgumentException(
                    "shape: custom needs both --context-tokens and --max-tokens");
        }
        return new RequestShape(context.orElse(contextTokens), max.orElse(maxTokens));
    }
}
