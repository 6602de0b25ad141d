package dev.spillway.core.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A secret value named in config as {@code ${env:NAME}}, {@code ${file:PATH}} or, for local demos
 * only, a literal. The value is read when asked for, so a rotated file or environment takes effect
 * without a restart; a file is re-read at most once a second. Never printed: {@link #toString()}
 * names the source only. Thread-safe.
 */
public final class Secret {
    private static final long FILE_RECHECK_NANOS = 1_000_000_000L;

    private final String reference;
    private final Function<String, String> env;
    private volatile String cached;
    private volatile long cachedAt;

    private Secret(String reference, Function<String, String> env) {
        this.reference = Objects.requireNonNull(reference);
        this.env = env;
    }

    /** Parses a reference; rejects an unknown {@code ${kind:...}} form. */
    public static Secret parse(String reference, Map<String, String> environment) {
        if (reference.startsWith("${") && reference.endsWith("}")) {
            String body = reference.substring(2, reference.length() - 1);
            if (!(body.startsWith("env:") || body.startsWith("file:")) || body.indexOf(':') == body.length() - 1) {
                throw new IllegalArgumentException(
                        "must be ${env:NAME}, ${file:PATH} or a literal, was '" + reference + "'");
            }
        }
        return new Secret(reference, environment::get);
    }

    public static Secret literal(String value) {
        return new Secret(value, name -> null);
    }

    /** The secret's current value; throws {@link IllegalStateException} naming the source if it is missing. */
    public String value() {
        if (reference.startsWith("${env:")) {
            String name = reference.substring(6, reference.length() - 1);
            String v = env.apply(name);
            if (v == null || v.isEmpty()) throw new IllegalStateException("environment variable " + name + " is not set");
            return v;
        }
        if (reference.startsWith("${file:")) return fromFile(Path.of(reference.substring(7, reference.length() - 1)));
        return reference;
    }

    /** Whether the value can be read now; used by `config check` to report a missing variable or file. */
    public boolean isResolvable() {
        try {
            value();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private String fromFile(Path path) {
        long now = System.nanoTime();
        String v = cached;
        if (v != null && now - cachedAt < FILE_RECHECK_NANOS) return v;
        try {
            v = Files.readString(path).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read secret file " + path, e);
        }
        cached = v;
        cachedAt = now;
        return v;
    }

    @Override
    public String toString() {
        return reference.startsWith("${") ? reference : "<literal secret>";
    }
}
