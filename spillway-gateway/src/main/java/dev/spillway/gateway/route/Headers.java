package dev.spillway.gateway.route;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Which headers cross the gateway. Hop-by-hop headers (RFC 9110 section 7.6.1) never do; the
 * client's credentials and encoding preferences belong to the gateway; everything else passes
 * through untouched in both directions, except the simulator's steering headers ({@code x-sim-*}),
 * which reach a backend only when the gateway is configured to forward them: otherwise one key
 * holder could fail or slow a shared backend for everybody.
 */
public final class Headers {
    private static final String[] HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection",
        "transfer-encoding", "te", "trailer", "upgrade", "proxy-authorization", "proxy-authenticate"};
    private static final String[] GATEWAY_OWNED_REQUEST = {"host", "content-length", "api-key",
        "authorization", "ocp-apim-subscription-key", "accept-encoding", "expect", "x-spillway-priority",
        "x-spillway-cache", "x-spillway-access-groups"};
    private static final String SIM_PREFIX = "x-sim-";
    private static final String[] GATEWAY_OWNED_RESPONSE = {"content-length"};

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

    /**
     * Names are compared ignoring ASCII case where they are, never lower-cased into new strings. A
     * Vert.x request's headers are also Netty headers: read as the {@code CharSequence}s they were
     * parsed into, they are not turned into {@code String}s only to be copied.
     */
    private static void copy(MultiMap from, MultiMap to, String[] owned, boolean steering) {
        if (from instanceof HttpHeaders parsed) {
            Iterator<Map.Entry<CharSequence, CharSequence>> it = parsed.iteratorCharSequence();
            while (it.hasNext()) {
                Map.Entry<CharSequence, CharSequence> h = it.next();
                if (crosses(h.getKey(), owned, steering)) to.add(h.getKey(), h.getValue());
            }
            return;
        }
        for (Map.Entry<String, String> h : from) {
            if (crosses(h.getKey(), owned, steering)) to.add(h.getKey(), h.getValue());
        }
    }

    private static boolean crosses(CharSequence name, String[] owned, boolean steering) {
        if (isOneOf(name, HOP_BY_HOP) || isOneOf(name, owned)) return false;
        return steering || !AsciiString.regionMatches(name, true, 0, SIM_PREFIX, 0, SIM_PREFIX.length());
    }

    private static boolean isOneOf(CharSequence name, String[] lowerCaseNames) {
        for (String n : lowerCaseNames) {
            if (n.length() == name.length() && AsciiString.contentEqualsIgnoreCase(n, name)) return true;
        }
        return false;
    }
}
