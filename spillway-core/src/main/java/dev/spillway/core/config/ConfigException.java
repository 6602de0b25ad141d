package dev.spillway.core.config;

import java.util.List;

/**
 * A configuration that cannot be used, with every problem found, each prefixed by its path
 * (for example {@code backends[1].url: must be an absolute http(s) URL}).
 */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
