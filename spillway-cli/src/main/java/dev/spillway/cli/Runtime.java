package dev.spillway.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Process plumbing shared by the long-running commands: the Vert.x instance and a clean shutdown. */
final class Runtime {
    private Runtime() {
    }

    static Vertx vertx() {
        return Vertx.vertx(new VertxOptions()
                .setPreferNativeTransport(true)
                .setEventLoopPoolSize(java.lang.Runtime.getRuntime().availableProcessors()));
    }

    /** Waits for Ctrl-C or SIGTERM, then closes {@code vertx} (servers drain, clients close). */
    static void runUntilStopped(Vertx vertx) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        java.lang.Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                vertx.close().await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // exiting anyway
            }
            stopped.countDown();
        }, "spillway-shutdown"));
        stopped.await();
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
