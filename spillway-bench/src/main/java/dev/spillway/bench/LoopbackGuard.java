package dev.spillway.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Refuses load targets outside 127.0.0.0/8 and ::1 unless the caller allowed remote targets
 * explicitly: load from this tool must never reach a machine nobody agreed to load. Stateless.
 */
public final class LoopbackGuard {
    private LoopbackGuard() {
    }

    /** Throws {@link IllegalArgumentException} when {@code spec} targets a non-loopback host without permission. */
    public static void check(LoadSpec spec) {
        if (spec.allowRemote()) {
            return;
        }
        String host = spec.baseUrl().getHost();
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("url: cannot resolve host '" + host + "'");
        }
        for (InetAddress a : addresses) {
            if (!a.isLoopbackAddress()) {
                throw new IllegalArgumentException("url: " + host + " resolves to " + a.getHostAddress()
                        + ", which is not a loopback address (127.0.0.0/8 or ::1); "
                        + "pass --allow-remote to load a remote target on purpose");
            }
        }
    }
}
