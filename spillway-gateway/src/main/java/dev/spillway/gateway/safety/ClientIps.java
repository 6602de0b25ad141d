package dev.spillway.gateway.safety;

import dev.spillway.core.config.ConfigNode;
import java.util.List;
import java.util.Optional;

/**
 * Which client addresses may call: {@code deny} blocks win over {@code allow}; an empty
 * {@code allow} admits every address not denied. Used for the whole gateway
 * ({@code safety.client-ips}) and per guard (its apps, keys, deployments). Immutable.
 */
public record ClientIps(List<Cidr> allow, List<Cidr> deny) {
    public static final ClientIps ANY = new ClientIps(List.of(), List.of());

    public ClientIps {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
    }

    /** Whether {@code address} (an IP literal) may call; an unknown address only when nothing is restricted. */
    public boolean permits(String address) {
        Optional<byte[]> a = Cidr.literal(address);
        if (a.isEmpty()) return allow.isEmpty() && deny.isEmpty();
        for (Cidr c : deny) if (c.contains(a.get())) return false;
        if (allow.isEmpty()) return true;
        for (Cidr c : allow) if (c.contains(a.get())) return true;
        return false;
    }

    public boolean restricts() {
        return !allow.isEmpty() || !deny.isEmpty();
    }

    static ClientIps from(ConfigNode n) {
        if (!n.isPresent()) return ANY;
        n.allowOnly("allow", "deny");
        return new ClientIps(blocks(n, "allow"), blocks(n, "deny"));
    }

    /** A list of CIDR blocks, each problem reported at its index. */
    static List<Cidr> blocks(ConfigNode n, String key) {
        return n.list(key, item -> {
            String text = item.asString();
            if (text == null) return null;
            try {
                return Cidr.parse(text);
            } catch (IllegalArgumentException e) {
                item.problem("", e.getMessage());
                return null;
            }
        });
    }
}
