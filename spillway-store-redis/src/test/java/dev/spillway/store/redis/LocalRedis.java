package dev.spillway.store.redis;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Assumptions;

/** The real Redis on 127.0.0.1:6379: tests skip loudly without it, except under CI=true, where they fail. */
final class LocalRedis {
    static final String URL = "redis://127.0.0.1:6379";

    private LocalRedis() {
    }

    static void require() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 6379), 500);
        } catch (IOException e) {
            String reason = "Redis is not reachable on 127.0.0.1:6379 (" + e.getMessage() + ")";
            if ("true".equals(System.getenv("CI"))) fail(reason + "; CI=true requires it");
            Assumptions.abort("SKIPPED LOUDLY: " + reason + "; start redis-server to run this test");
        }
    }
}
