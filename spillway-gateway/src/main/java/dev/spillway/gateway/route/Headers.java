package dev.spillway.gateway.route;

import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which headers cross the gateway. Hop-by-hop headers (RFC 9110 section 7.6.1) never do; the
 * client's credentials and encoding preferences belong to the gateway; everything else passes
 * through untouched in both directions, except the simulator's steering headers ({@code x-sim-*}),
 * which reach a backend only when the gateway is configured to forward them: otherwise one key
 * holder could fail or slow a shared backend for everybody.
 */
public final class Headers {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "te", "trailer", "upgrade", "proxy-authorization", "proxy-authenticate");
    private static final Set<String> GATEWAY_OWNED_REQUEST = Set.of("host", "content-length", "api-key",
            "authorization", "ocp-apim-subscription-key", "accept-encoding", "expect", "x-spillway-priority",
            "x-spillway-cache", "x-spillway-access-groups");
    private static final String SIM_PREFIX = "x-sim-";
    private static final Set<String> GATEWAY_OWNED_RESPONSE = Set.of("content-length");

    private Headers() {
    }

    /** Copies the client's headers that the backend should see; {@code x-sim-*} only if {@code steering}. */
    public static void copyRequest(MultiMap from, MultiMap to, boolean steering) {
        copy(from, to, GATEWAY_OWNED_REQUEST, steering);
    }

    /** Copies the backend's headers that the client should see. */
    public static void copyResponse(MultiMap from, MultiMap to) {
        copy(from, to, GATEWAY_OWNED_RESPONSE, true);
    }

    private static void copy(MultiMap from, MultiMap to, Set<String> owned, boolean steering) {
        for (Map.Entry<String, String> h : from) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || owned.contains(name)) continue;
            if (steering || !name.startsWith(SIM_PREFIX)) to.add(h.getKey(), h.getValue());
        }
    }
}
