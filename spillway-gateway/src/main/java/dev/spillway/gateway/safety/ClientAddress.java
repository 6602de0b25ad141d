package dev.spillway.gateway.safety;

import java.util.List;
import java.util.Optional;

/**
 * The client's address: the TCP peer, unless the peer is a trusted proxy, in which case
 * {@code X-Forwarded-For} is read from the right, skipping trusted proxies, and the first other
 * address is the client. No trusted proxies (the default) means the header is ignored: a client
 * cannot choose its own address. Stateless.
 */
final class ClientAddress {
    private ClientAddress() {
    }

    static String of(String peer, List<String> forwardedFor, List<Cidr> trustedProxies) {
        if (trustedProxies.isEmpty() || !trusted(peer, trustedProxies)) return peer;
        String client = peer;
        for (int i = forwardedFor.size() - 1; i >= 0; i--) {
            String[] hops = forwardedFor.get(i).split(",");
            for (int j = hops.length - 1; j >= 0; j--) {
                String hop = hops[j].trim();
                if (hop.isEmpty()) continue;
                client = hop;
                if (!trusted(hop, trustedProxies)) return hop;
            }
        }
        return client;
    }

    private static boolean trusted(String address, List<Cidr> proxies) {
        Optional<byte[]> a = Cidr.literal(address);
        return a.isPresent() && proxies.stream().anyMatch(c -> c.contains(a.get()));
    }
}
