package dev.spillway.gateway.safety;

import dev.spillway.core.config.ConfigNode;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code gateway.safety} section: the guards, tried in order; the first that covers a request
 * (its app, key and deployment) applies to it, and a request no guard covers is not examined.
 * {@code client-ips} restricts who may call the gateway at all; {@code trusted-proxies} are the
 * only peers whose {@code X-Forwarded-For} is believed (default none: the header is ignored);
 * {@code outbound-hosts}, when set, lists the only hosts the gateway may call ({@link OutboundHosts}).
 * Default: no guards, any address. Immutable.
 */
public record SafetyConfig(List<GuardConfig> guards, ClientIps clientIps, List<Cidr> trustedProxies,
        List<String> outboundHosts) {
    public static final SafetyConfig NONE = new SafetyConfig(List.of(), ClientIps.ANY, List.of(), List.of());

    public SafetyConfig {
        guards = List.copyOf(guards);
        trustedProxies = List.copyOf(trustedProxies);
        outboundHosts = List.copyOf(outboundHosts);
        for (String h : outboundHosts) {
            if (!h.matches("(?:\\*\\.)?[A-Za-z0-9.\\-:\\[\\]]+")) {
                throw new IllegalArgumentException("outbound-hosts: '" + h + "' is not a host or *.suffix pattern");
            }
        }
        java.util.Objects.requireNonNull(clientIps, "client-ips");
        Set<String> names = new HashSet<>();
        for (GuardConfig g : guards) {
            if (!names.add(g.name())) throw new IllegalArgumentException("guards: duplicate guard name '" + g.name() + "'");
        }
    }

    public Optional<GuardConfig> guardFor(String app, String key, String deployment) {
        for (GuardConfig g : guards) if (g.covers(app, key, deployment)) return Optional.of(g);
        return Optional.empty();
    }

    public static SafetyConfig from(ConfigNode n) {
        if (!n.isPresent()) return NONE;
        n.allowOnly("guards", "client-ips", "trusted-proxies", "outbound-hosts");
        List<GuardConfig> guards = n.list("guards", GuardConfig::from);
        ClientIps clientIps = ClientIps.from(n.child("client-ips"));
        List<Cidr> proxies = ClientIps.blocks(n, "trusted-proxies");
        List<String> outbound = n.strings("outbound-hosts");
        SafetyConfig built = n.build(() -> new SafetyConfig(guards, clientIps, proxies, outbound));
        return built == null ? NONE : built;
    }
}
