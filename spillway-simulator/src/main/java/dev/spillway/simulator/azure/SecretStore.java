package dev.spillway.simulator.azure;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Json;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulated vault's secrets: every value set is kept as a version; the newest answers a GET
 * without a version. Thread-safe.
 */
final class SecretStore {
    private record Version(String id, String value, long created) {
    }

    private final Map<String, List<Version>> secrets = new ConcurrentHashMap<>();
    private final InstantSource clock;
    private final SplittableRandom random;

    SecretStore(Map<String, String> initial, InstantSource clock, long seed) {
        this.clock = clock;
        this.random = new SplittableRandom(seed ^ 0x5EC7E7L);
        initial.forEach((name, value) -> add(name, value));
    }

    Optional<ObjectNode> get(String name, Optional<String> version, String base) {
        List<Version> versions = secrets.get(name);
        if (versions == null) return Optional.empty();
        synchronized (versions) {
            Optional<Version> v = version.isEmpty() ? Optional.of(versions.getLast())
                    : versions.stream().filter(x -> x.id().equals(version.get())).findFirst();
            return v.map(x -> body(name, x, base));
        }
    }

    ObjectNode set(String name, String value, String base) {
        return body(name, add(name, value), base);
    }

    boolean delete(String name) {
        return secrets.remove(name) != null;
    }

    private Version add(String name, String value) {
        byte[] id = new byte[16];
        synchronized (random) {
            random.nextBytes(id);
        }
        Version v = new Version(HexFormat.of().formatHex(id), value, clock.millis() / 1000);
        List<Version> versions = secrets.computeIfAbsent(name, n -> new ArrayList<>());
        synchronized (versions) {
            versions.add(v);
        }
        return v;
    }

    private static ObjectNode body(String name, Version v, String base) {
        ObjectNode n = Json.MAPPER.createObjectNode().put("value", v.value()).put("id", base + "/secrets/" + name + "/" + v.id());
        n.putObject("attributes").put("enabled", true).put("created", v.created()).put("updated", v.created())
                .put("recoveryLevel", "Recoverable+Purgeable");
        return n;
    }
}
