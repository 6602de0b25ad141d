package dev.spillway.store.redis;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A {@code redis-server} of the test's own (never the shared 6379), with no persistence, so that
 * stopping and starting it again gives an empty Redis on the same port. One per test; close it.
 */
final class OwnRedis implements AutoCloseable {
    private final int port;
    private Process process;

    OwnRedis(int port) {
        this.port = port;
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts the server; skips the test loudly when {@code redis-server} is missing (fails under CI=true). */
    OwnRedis start() throws Exception {
        try {
            process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            String reason = "redis-server is not on the path (" + e.getMessage() + ")";
            if ("true".equals(System.getenv("CI"))) fail(reason + "; CI=true requires it");
            Assumptions.abort("SKIPPED LOUDLY: " + reason);
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!listening()) {
            if (System.nanoTime() > until) throw new IllegalStateException("redis-server did not start on " + port);
            Thread.sleep(20);
        }
        return this;
    }

    /** Stops the server (SIGTERM; it saves nothing) and waits until it is gone. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) stop();
    }
}
