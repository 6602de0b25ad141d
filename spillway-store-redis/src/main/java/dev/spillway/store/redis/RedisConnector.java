package dev.spillway.store.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One shared Lettuce connection, opened at once in the background and re-opened on demand after a failed attempt, so a gateway
 * starts (and falls back) while Redis is away and reconnects when it returns. Every command has
 * a short timeout and is rejected at once while disconnected instead of queueing. Reconnect
 * attempts back off exponentially up to one second (Lettuce's default waits up to 30 s), so every
 * replica is back within about a second of Redis. Thread-safe; lives as long as its store.
 */
final class RedisConnector implements AutoCloseable {
    private static final Delay RECONNECT = Delay.exponential(Duration.ofMillis(1), Duration.ofSeconds(1), 2,
            TimeUnit.MILLISECONDS);

    private final ClientResources resources;
    private final RedisClient client;
    private final RedisURI uri;
    private CompletableFuture<StatefulRedisConnection<String, String>> connection;

    RedisConnector(String url, Duration timeout) {
        this.uri = RedisURI.create(url);
        this.uri.setTimeout(timeout);
        this.resources = ClientResources.builder().reconnectDelay(RECONNECT).build();
        this.client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder().connectTimeout(timeout.multipliedBy(5)).build())
                .build());
        commands();
    }

    /** Completes when the first connection attempt (started by the constructor) is done, either way. */
    CompletionStage<Void> firstAttempt() {
        return commands().handle((c, e) -> null);
    }

    /** The async command API of the live connection, connecting first if needed. */
    synchronized CompletionStage<RedisAsyncCommands<String, String>> commands() {
        if (connection == null || connection.isCompletedExceptionally()) {
            connection = client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture();
        }
        return connection.thenApply(StatefulRedisConnection::async);
    }

    /** A new publish/subscribe connection on the same client; Lettuce resubscribes it after a reconnect. */
    CompletionStage<StatefulRedisPubSubConnection<String, String>> pubSub() {
        return client.connectPubSubAsync(StringCodec.UTF8, uri);
    }

    /** Runs {@code action} (off Lettuce's I/O thread) each time a connection of this client is (re)opened. */
    void onConnected(Runnable action) {
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                CompletableFuture.runAsync(action);
            }
        });
    }

    @Override
    public synchronized void close() {
        if (connection != null && connection.isDone() && !connection.isCompletedExceptionally()) {
            connection.join().close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
