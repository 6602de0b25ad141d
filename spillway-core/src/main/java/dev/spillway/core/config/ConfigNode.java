package dev.spillway.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A cursor over the parsed YAML that knows its path, so that every problem is reported as
 * {@code backends[1].url: must be an absolute http(s) URL}. Reading never stops at the first
 * problem: a bad value is recorded and a default returned, so one run reports everything.
 * Config records are built with {@link #build}, which turns their constructor's
 * {@link IllegalArgumentException} ({@code "field: reason"}) into a problem at the right path.
 * One per load; not thread-safe.
 */
public final class ConfigNode {
    private final JsonNode node;
    private final String path;
    private final List<String> problems;
    private final Map<String, String> environment;
    /** Every Key Vault reference read in the document, by path; shared by all nodes of one load. */
    private final Map<String, Secret> vaultSecrets;

    private ConfigNode(JsonNode node, String path, List<String> problems, Map<String, String> environment,
            Map<String, Secret> vaultSecrets) {
        this.node = node;
        this.path = path;
        this.problems = problems;
        this.environment = environment;
        this.vaultSecrets = vaultSecrets;
    }

    /** The root of a document; {@code environment} resolves {@code ${env:...}} secrets. */
    public static ConfigNode root(JsonNode node, Map<String, String> environment) {
        return new ConfigNode(node == null ? MissingNode.getInstance() : node, "", new ArrayList<>(), environment,
                new LinkedHashMap<>());
    }

    public String path() {
        return path;
    }

    /** The parsed YAML under this node as written (a config reload compares sections with it). */
    public JsonNode json() {
        return node;
    }

    public boolean isPresent() {
        return !node.isMissingNode() && !node.isNull();
    }

    public boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    public Map<String, String> environment() {
        return environment;
    }

    /** The problems found so far, across the whole document. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /**
     * The Key Vault references read so far under this node, by their path: whoever runs this part of
     * the config fetches them before it starts and refreshes them while it runs.
     */
    public Map<String, Secret> vaultSecrets() {
        Map<String, Secret> under = new LinkedHashMap<>();
        vaultSecrets.forEach((at, s) -> {
            if (path.isEmpty() || at.startsWith(path + ".")) under.put(at, s);
        });
        return under;
    }

    /** Throws {@link ConfigException} if any problem was recorded anywhere in the document. */
    public void throwIfInvalid() {
        if (!problems.isEmpty()) throw new ConfigException(problems);
    }

    public ConfigNode child(String key) {
        JsonNode v = node.get(key);
        return new ConfigNode(v == null ? MissingNode.getInstance() : v, join(key), problems, environment, vaultSecrets);
    }

    /** Records a problem at {@code key} under this node (or at this node when {@code key} is empty). */
    public void problem(String key, String message) {
        String at = key.isEmpty() ? path : join(key);
        problems.add((at.isEmpty() ? "(root)" : at) + ": " + message);
    }

    /** Reports keys this node does not know, with the closest known key as a hint. */
    public void allowOnly(Set<String> known) {
        if (!node.isObject()) {
            if (isPresent()) problem("", "must be a mapping of keys to values");
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (known.contains(key)) continue;
            String hint = closest(key, known).map(k -> " (did you mean '" + k + "'?)").orElse("");
            problem(key, "unknown key" + hint);
        }
    }

    public void allowOnly(String... known) {
        allowOnly(Set.of(known));
    }

    /** Builds a record from this node, reporting its constructor's complaint at this path. */
    public <T> T build(Supplier<T> constructor) {
        int before = problems.size();
        try {
            return constructor.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            if (problems.size() == before) {
                String msg = String.valueOf(e.getMessage());
                int colon = msg.indexOf(": ");
                if (colon > 0 && msg.substring(0, colon).matches("[a-z0-9.\\-\\[\\]]+")) {
                    problem(msg.substring(0, colon), msg.substring(colon + 2));
                } else {
                    problem("", msg);
                }
            }
            return null;
        }
    }

    public Optional<String> optionalString(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) return Optional.empty();
        if (!v.isValueNode()) {
            problem(key, "must be a single value, was a " + kind(v));
            return Optional.empty();
        }
        return Optional.of(v.asText());
    }

    public String string(String key, String defaultValue) {
        return optionalString(key).orElse(defaultValue);
    }

    public String requiredString(String key) {
        Optional<String> v = optionalString(key);
        if (v.isEmpty() && !has(key)) problem(key, "is required");
        return v.orElse(null);
    }

    public int integer(String key, int defaultValue) {
        return (int) number(key, defaultValue, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    public long longValue(String key, long defaultValue) {
        return number(key, defaultValue, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    private long number(String key, long defaultValue, long min, long max) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) return defaultValue;
        if (v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= min && v.asLong() <= max) return v.asLong();
        problem(key, "must be a whole number, was " + show(v));
        return defaultValue;
    }

    public double decimal(String key, double defaultValue) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) return defaultValue;
        if (v.isNumber()) return v.asDouble();
        problem(key, "must be a number, was " + show(v));
        return defaultValue;
    }

    /** An exact decimal (money: no binary rounding), or empty when absent or malformed (a problem). */
    public Optional<java.math.BigDecimal> exactDecimal(String key) {
        Optional<String> text = optionalString(key);
        try {
            return text.map(String::trim).map(java.math.BigDecimal::new);
        } catch (NumberFormatException e) {
            problem(key, "must be a decimal number, was '" + text.orElse("") + "'");
            return Optional.empty();
        }
    }

    public boolean bool(String key, boolean defaultValue) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) return defaultValue;
        if (v.isBoolean()) return v.asBoolean();
        problem(key, "must be true or false, was " + show(v));
        return defaultValue;
    }

    public Duration duration(String key, Duration defaultValue) {
        return parsed(key, defaultValue, Durations::parse);
    }

    public DataSize size(String key, DataSize defaultValue) {
        return parsed(key, defaultValue, DataSize::parse);
    }

    /** A secret reference; required. */
    public Secret secret(String key) {
        String ref = requiredString(key);
        if (ref == null) return null;
        try {
            Secret secret = Secret.parse(ref, environment);
            if (secret.vaultSecret().isPresent()) vaultSecrets.put(join(key), secret);
            return secret;
        } catch (IllegalArgumentException e) {
            problem(key, e.getMessage());
            return null;
        }
    }

    /** An enum written in kebab-case ({@code pay-as-you-go} for {@code PAY_AS_YOU_GO}). */
    public <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
        Optional<String> v = optionalString(key);
        if (v.isEmpty()) return defaultValue;
        String wanted = v.get().trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) if (e.name().equals(wanted)) return e;
        problem(key, "must be one of " + kebabNames(type) + ", was '" + v.get() + "'");
        return defaultValue;
    }

    public static <E extends Enum<E>> List<String> kebabNames(Class<E> type) {
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) names.add(kebab(e));
        return names;
    }

    public static String kebab(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A list of objects, each read by {@code item}; a missing key is an empty list. */
    public <T> List<T> list(String key, Function<ConfigNode, T> item) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) return List.of();
        if (!v.isArray()) {
            problem(key, "must be a list, was a " + kind(v));
            return List.of();
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            T t = item.apply(new ConfigNode(v.get(i), join(key) + "[" + i + "]", problems, environment,
                    vaultSecrets));
            if (t != null) out.add(t);
        }
        return List.copyOf(out);
    }

    /** The value of a list item that is a plain scalar. */
    public String asString() {
        if (!node.isValueNode()) {
            problem("", "must be a single value, was a " + kind(node));
            return null;
        }
        return node.asText();
    }

    public List<String> strings(String key) {
        JsonNode v = node.get(key);
        if (v != null && v.isValueNode() && !v.isNull()) return List.of(v.asText());
        return list(key, ConfigNode::asString);
    }

    /** A nested object read by {@code reader}; a missing key reads as an empty object, so defaults apply. */
    public <T> T object(String key, Function<ConfigNode, T> reader) {
        return reader.apply(child(key));
    }

    private <T> T parsed(String key, T defaultValue, Function<String, T> parser) {
        Optional<String> v = optionalString(key);
        if (v.isEmpty()) return defaultValue;
        try {
            return parser.apply(v.get());
        } catch (IllegalArgumentException e) {
            problem(key, e.getMessage());
            return defaultValue;
        }
    }

    private String join(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String kind(JsonNode v) {
        return v.isArray() ? "list" : v.isObject() ? "mapping" : v.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String show(JsonNode v) {
        return v.isValueNode() ? "'" + v.asText() + "'" : "a " + kind(v);
    }

    private static Optional<String> closest(String key, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(key, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= Math.max(2, key.length() / 3) ? Optional.ofNullable(best) : Optional.empty();
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
