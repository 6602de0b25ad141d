package dev.spillway.gateway.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * One raw loopback connection for attacks an HTTP client library will not send: dripped headers,
 * half-sent bodies, conflicting framing headers. Reads with a bounded wait. Not thread-safe.
 */
final class RawClient implements AutoCloseable {
    private final Socket socket;

    RawClient(int port) throws IOException {
        this(port, "127.0.0.1");
    }

    /** Connects from {@code localAddress} (any 127.x.y.z on Linux), to appear as another client. */
    RawClient(int port, String localAddress) throws IOException {
        socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(5000);
    }

    RawClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawClient send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /** Everything the server sends until it closes, or until {@code millis} pass; "" if it closed at once. */
    String readUntilClosed(int millis) throws IOException {
        socket.setSoTimeout(millis);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) got.write(buf, 0, n);
        } catch (SocketTimeoutException e) {
            return got.toString(StandardCharsets.ISO_8859_1) + "<still open>";
        } catch (IOException reset) {
            // a reset is a close too
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    /** The response head (up to the blank line), waiting at most {@code millis}; "<still open>" if none came. */
    String readHead(int millis) throws IOException {
        socket.setSoTimeout(millis);
        StringBuilder head = new StringBuilder();
        InputStream in = socket.getInputStream();
        try {
            for (int c; (c = in.read()) >= 0; ) {
                head.append((char) c);
                if (head.toString().endsWith("\r\n\r\n")) break;
            }
        } catch (SocketTimeoutException e) {
            return head + "<still open>";
        } catch (IOException reset) {
            // closed by the server
        }
        return head.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
