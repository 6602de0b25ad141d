package dev.spillway.core.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Picks a free port for servers that listen on one port from several event loops: Vert.x shares a
 * listening socket between servers by their configured port, so "port 0" on several loops would
 * bind several sockets. Stateless.
 */
public final class Ports {
    private Ports() {
    }

    /** A port that was free on {@code host} a moment ago; the caller binds it (and may lose a race). */
    public static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + host, e);
        }
    }
}
