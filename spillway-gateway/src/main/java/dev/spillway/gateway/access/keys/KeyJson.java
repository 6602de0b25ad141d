package dev.spillway.gateway.access.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Json;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The JSON shape of key metadata, shared by the admin API, the CLI and the JDBC store. Reading is
 * strict: an unknown field is an error naming it, so a smuggled {@code role} or {@code tenant_id}
 * never passes silently. Never writes the secret or its hash. Stateless, thread-safe.
 */
public final class KeyJson {
    static final Set<String> LIMIT_FIELDS = Set.of("requests-per-minute", "tokens-per-minute", "tokens-per-day",
            "tokens-per-month", "budget-per-month-usd");

    private KeyJson() {
    }

    public static ObjectNode limits(KeyLimits l) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        l.requestsPerMinute().ifPresent(v -> o.put("requests-per-minute", v));
        l.tokensPerMinute().ifPresent(v -> o.put("tokens-per-minute", v));
        l.tokensPerDay().ifPresent(v -> o.put("tokens-per-day", v));
        l.tokensPerMonth().ifPresent(v -> o.put("tokens-per-month", v));
        l.budgetPerMonthUsd().ifPresent(v -> o.put("budget-per-month-usd", v));
        return o;
    }

    /** Reads limits; throws {@link IllegalArgumentException} naming a bad or unknown field. */
    public static KeyLimits limits(JsonNode o) {
        if (o == null || o.isNull() || o.isMissingNode()) return KeyLimits.NONE;
        if (!o.isObject()) throw new IllegalArgumentException("limits: must be an object");
        onlyKnown(o, LIMIT_FIELDS, "limits.");
        return new KeyLimits(count(o, "requests-per-minute"), count(o, "tokens-per-minute"), count(o, "tokens-per-day"),
                count(o, "tokens-per-month"), money(o, "budget-per-month-usd"));
    }

    /** The public view of a key: everything but the hash. */
    public static ObjectNode describe(AppKey k) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("id", k.id());
        o.put("prefix", k.displayPrefix());
        o.put("name", k.name());
        o.put("app", k.app());
        k.team().ifPresent(t -> o.put("team", t));
        k.owner().ifPresent(t -> o.put("owner", t));
        k.deployments().stream().sorted().forEach(o.putArray("deployments")::add);
        o.set("limits", limits(k.limits()));
        o.put("created-at", k.createdAt().toString());
        k.expiresAt().ifPresent(t -> o.put("expires-at", t.toString()));
        k.revokedAt().ifPresent(t -> o.put("revoked-at", t.toString()));
        return o;
    }

    static void onlyKnown(JsonNode o, Set<String> known, String prefix) {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) throw new IllegalArgumentException(prefix + f + ": unknown field");
        }
    }

    private static OptionalLong count(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) return OptionalLong.empty();
        if (!v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("limits." + field + ": must be a whole number");
        }
        return OptionalLong.of(v.asLong());
    }

    private static Optional<BigDecimal> money(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) return Optional.empty();
        if (!v.isNumber()) throw new IllegalArgumentException("limits." + field + ": must be a number");
        return Optional.of(v.decimalValue());
    }
}
