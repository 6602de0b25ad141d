package dev.spillway.chat.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.chat.FakeChatModel;
import dev.spillway.chat.TestChatApp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chat app's listener shares the gateway's connection guard (issue 10, item 2). */
class ChatListenerLimitsTest {
    @TempDir
    Path dir;

    @Test
    void dripsPastTheHeaderTimeoutAndConnectionsOverTheAddressCapAreClosed() throws Exception {
        try (TestChatApp app = new TestChatApp(dir, new FakeChatModel(),
                "listener: { header-timeout: 1s, max-connections: 10, max-connections-per-ip: 1 }")) {
            try (Socket drip = connect(app)) {
                OutputStream out = drip.getOutputStream();
                out.write("GET / HTTP/1.1\r\nhost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                try {
                    for (int i = 0; i < 10; i++) {
                        Thread.sleep(250);
                        out.write(("x-drip-" + i + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
                    }
                } catch (IOException closedByTheServer) {
                    // expected
                }
                assertThat(closedWithin(drip, 2000)).isTrue();
            }
            try (Socket first = connect(app); Socket second = connect(app)) {
                assertThat(closedWithin(second, 2000)).as("second from one address").isTrue();
            }
        }
    }

    private static Socket connect(TestChatApp app) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        s.connect(new InetSocketAddress("127.0.0.1", app.server.port()), 5000);
        return s;
    }

    private static boolean closedWithin(Socket s, int millis) throws IOException {
        s.setSoTimeout(millis);
        InputStream in = s.getInputStream();
        try {
            while (in.read() >= 0) {
                // whatever the server says before it closes
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
