package dev.spillway.gateway.safety;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.error.SpillwayException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A guard's limits on the request itself: at most {@code max-messages} messages (default: no
 * limit), {@code temperature} within [min, max] (default [0, 2]), {@code top-p} within [min, max]
 * (default [0, 1]), only the listed message {@code roles} (default: all six OpenAI roles), and only
 * the listed function {@code tools} (default: any). A breach is a 400 naming the field. Immutable.
 */
public record RequestLimits(OptionalInt maxMessages, Range temperature, Range topP, Set<String> roles,
        Optional<Set<String>> tools) {
    public static final Set<String> ALL_ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");
    public static final RequestLimits NONE = new RequestLimits(OptionalInt.empty(), new Range(0, 2), new Range(0, 1),
            ALL_ROLES, Optional.empty());

    /** An inclusive range of a sampling parameter. */
    public record Range(double min, double max) {
        public Range {
            if (!(min <= max)) throw new IllegalArgumentException("min must be <= max, was " + min + " > " + max);
        }
    }

    public RequestLimits {
        if (maxMessages.isPresent() && maxMessages.getAsInt() < 1) {
            throw new IllegalArgumentException("max-messages: must be >= 1, was " + maxMessages.getAsInt());
        }
        roles = Set.copyOf(roles);
        if (roles.isEmpty()) throw new IllegalArgumentException("roles: must name at least one role");
        for (String r : roles) {
            if (!ALL_ROLES.contains(r)) throw new IllegalArgumentException("roles: unknown role '" + r + "'; known: " + ALL_ROLES);
        }
        tools = tools.map(Set::copyOf);
    }

    static RequestLimits from(ConfigNode n) {
        if (!n.isPresent()) return NONE;
        n.allowOnly("max-messages", "temperature", "top-p", "roles", "tools");
        OptionalInt max = n.has("max-messages") ? OptionalInt.of(n.integer("max-messages", 1)) : OptionalInt.empty();
        Range temperature = range(n.child("temperature"), NONE.temperature());
        Range topP = range(n.child("top-p"), NONE.topP());
        Set<String> roles = n.has("roles") ? Set.copyOf(n.strings("roles")) : ALL_ROLES;
        Optional<Set<String>> tools = n.has("tools") ? Optional.of(Set.copyOf(n.strings("tools"))) : Optional.empty();
        RequestLimits built = n.build(() -> new RequestLimits(max, temperature, topP, roles, tools));
        return built == null ? NONE : built;
    }

    private static Range range(ConfigNode n, Range fallback) {
        if (!n.isPresent()) return fallback;
        n.allowOnly("min", "max");
        Range built = n.build(() -> new Range(n.decimal("min", fallback.min()), n.decimal("max", fallback.max())));
        return built == null ? fallback : built;
    }

    /** Throws a 400 naming the first limit the chat request breaks. */
    void check(ObjectNode body) {
        JsonNode messages = body.path("messages");
        if (maxMessages.isPresent() && messages.size() > maxMessages.getAsInt()) {
            throw invalid("'messages' has " + messages.size() + " entries; this app allows at most "
                    + maxMessages.getAsInt() + ".", "messages");
        }
        for (JsonNode m : messages) {
            String role = m.path("role").asText("");
            if (!roles.contains(role)) {
                throw invalid("Message role '" + role + "' is not allowed for this app; allowed: "
                        + String.join(", ", roles.stream().sorted().toList()) + ".", "messages");
            }
        }
        inRange(body, "temperature", temperature);
        inRange(body, "top_p", topP);
        if (tools.isPresent()) {
            for (JsonNode t : body.path("tools")) {
                String name = t.path("function").path("name").asText("");
                if (!tools.get().contains(name)) {
                    throw invalid("Tool '" + name + "' is not allowed for this app; allowed: "
                            + String.join(", ", tools.get().stream().sorted().toList()) + ".", "tools");
                }
            }
        }
    }

    private static void inRange(ObjectNode body, String field, Range range) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return;
        if (!v.isNumber() || v.asDouble() < range.min() || v.asDouble() > range.max()) {
            throw invalid("'" + field + "' must be a number from " + range.min() + " to " + range.max()
                    + " for this app, was " + v + ".", field);
        }
    }

    private static SpillwayException invalid(String message, String param) {
        return new SpillwayException.InvalidRequest("invalid_request_error", message, param);
    }
}
