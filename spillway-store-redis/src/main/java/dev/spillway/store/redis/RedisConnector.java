package dev.spillway.store.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One shared Lettuce connection, opened at once in the background and re-opened on demand after a failed attempt, so a gateway
 * starts (and falls back) while Redis is away and reconnects when it returns. Every command has
 * a short timeout and is rejected at once while disconnected instead of queueing. Thread-safe;
 * lives as long as its store.
 */
final class RedisConnector implements AutoCloseable {
    private final RedisClient client;
    private final RedisURI uri;
    private CompletableFuture<StatefulRedisConnection<String, String>> connection;

    RedisConnector(String url, Duration timeout) {
        this.uri = RedisURI.create(url);
        this.uri.setTimeout(timeout);
        this.client = RedisClient.create();
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

    @Override
    public synchronized void close() {
        if (connection != null && connection.isDone() && !connection.isCompletedExceptionally()) {
            connection.join().close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
