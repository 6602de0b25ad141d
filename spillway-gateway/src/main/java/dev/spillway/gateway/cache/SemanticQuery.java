package dev.spillway.gateway.cache;

import java.util.Objects;

/**
 * What a semantic lookup searches with, and what it must match exactly. {@code text} is the last
 * user turn, the only part compared by meaning; {@code context} is a hex digest of everything else
 * that shapes the answer (the system prompt and earlier turns, tools, {@code response_format},
 * sampling parameters, seed), which a match must share exactly, as must the {@code partition} and
 * the {@code deployment} alias. Immutable.
 */
public record SemanticQuery(Partition partition, String deployment, String context, String text) {
    public SemanticQuery {
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(text, "text");
    }
}
