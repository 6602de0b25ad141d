package dev.spillway.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Process plumbing shared by the long-running commands: the Vert.x instance and a clean shutdown. */
final class Lifecycle {
    private Lifecycle() {
    }

    static Vertx vertx() {
        return Vertx.vertx(new VertxOptions()
                .setPreferNativeTransport(true)
                .setEventLoopPoolSize(Runtime.getRuntime().availableProcessors()));
    }

    /** Waits for Ctrl-C or SIGTERM, then closes {@code vertx} (servers drain, clients close). */
    static void runUntilStopped(Vertx vertx) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                vertx.close().await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // exiting anyway
            }
            stopped.countDown();
        }, "spillway-shutdown"));
        stopped.await();
    }

    /** Waits for a server to start; a port already taken becomes a {@link StartFailure} naming it. */
    static <T> T await(Future<T> future, String what, int port) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            String message = String.valueOf(e.getCause().getMessage());
            if (message.contains("Address already in use")) {
                throw new StartFailure(what + " cannot listen on port " + port + ": it is already in use"
                        + " (another Spillway still running?). Stop that process or choose another port.");
            }
            throw e;
        }
    }

    /** A start-up problem the user can fix; printed as one line, without a stack trace. */
    static final class StartFailure extends RuntimeException {
        StartFailure(String message) {
            super(message, null, false, false);
        }
    }
}
