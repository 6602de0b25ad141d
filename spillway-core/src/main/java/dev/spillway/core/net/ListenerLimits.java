package dev.spillway.core.net;

import dev.spillway.core.config.ConfigNode;
import java.time.Duration;

/**
 * The {@code listener:} section of a server (gateway, chat): how long a connection may take to
 * send a request's headers, how long it may sit idle between requests, and how many connections
 * the listener and one client address may hold open. Defaults follow nginx and Envoy's edge
 * advice (docs/security.md). Immutable.
 *
 * @param headerTimeout       {@code header-timeout}, default 10 s: a new connection must have sent
 *                            its first request's complete headers by then, or it is closed
 * @param keepAliveTimeout    {@code keep-alive-timeout}, default 120 s: after a response, the next
 *                            request's headers must be complete by then; bytes dripped in do not
 *                            extend it
 * @param maxConnections      {@code max-connections}, default 2,048 open connections per listener;
 *                            more are closed as they are accepted
 * @param maxConnectionsPerIp {@code max-connections-per-ip}, default 256 per client address
 */
public record ListenerLimits(Duration headerTimeout, Duration keepAliveTimeout, int maxConnections,
        int maxConnectionsPerIp) {
    public static final ListenerLimits DEFAULT = new ListenerLimits(Duration.ofSeconds(10),
            Duration.ofSeconds(120), 2048, 256);

    public ListenerLimits {
        if (headerTimeout.isNegative() || headerTimeout.isZero()) {
            throw new IllegalArgumentException("header-timeout: must be > 0, was " + headerTimeout);
        }
        if (keepAliveTimeout.compareTo(headerTimeout) < 0) {
            throw new IllegalArgumentException("keep-alive-timeout: must be >= header-timeout ("
                    + headerTimeout + "), was " + keepAliveTimeout);
        }
        if (maxConnections < 1) throw new IllegalArgumentException("max-connections: must be >= 1, was " + maxConnections);
        if (maxConnectionsPerIp < 1 || maxConnectionsPerIp > maxConnections) {
            throw new IllegalArgumentException("max-connections-per-ip: must be 1.." + maxConnections
                    + " (max-connections), was " + maxConnectionsPerIp);
        }
    }

    /** Reads {@code listener:} (absent: the defaults). */
    public static ListenerLimits from(ConfigNode n) {
        n.allowOnly("header-timeout", "keep-alive-timeout", "max-connections", "max-connections-per-ip");
        ListenerLimits built = n.build(() -> new ListenerLimits(
                n.duration("header-timeout", DEFAULT.headerTimeout()),
                n.duration("keep-alive-timeout", DEFAULT.keepAliveTimeout()),
                n.integer("max-connections", DEFAULT.maxConnections()),
                n.integer("max-connections-per-ip", DEFAULT.maxConnectionsPerIp())));
        return built == null ? DEFAULT : built;
    }
}
