package dev.spillway.store.redis;

import dev.spillway.gateway.route.share.FleetChannel;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The replicas' channel on Redis: messages on the pub/sub channel {@code <key-prefix>learned}
 * (fire and forget: a replica that is away misses them and relearns from its own traffic), leases
 * as keys {@code <key-prefix>lease:<name>} taken with {@code SET NX PX} and renewed by their holder
 * in one script, rosters as hashes {@code <key-prefix>roster:<name>} (one field per member, expiring
 * on Redis's clock, {@code roster.lua}). Commands fail at once while Redis is away (see {@link RedisConnector}); the
 * subscription is reopened when {@link #listening} finds it gone. Thread-safe.
 */
final class RedisFleetChannel implements FleetChannel {
    private static final LuaScript LEASE = LuaScript.resource("lease.lua");
    private static final LuaScript ROSTER = LuaScript.resource("roster.lua");

    private final RedisConnector redis;
    private final String channel;
    private final String leasePrefix;
    private final String rosterPrefix;
    private Consumer<String> receiver = m -> { };
    private CompletableFuture<StatefulRedisPubSubConnection<String, String>> subscription;

    RedisFleetChannel(String url, Duration timeout, String keyPrefix) {
        this.redis = new RedisConnector(url, timeout);
        this.channel = keyPrefix + "learned";
        this.leasePrefix = keyPrefix + "lease:";
        this.rosterPrefix = keyPrefix + "roster:";
    }

    @Override
    public synchronized void listen(Consumer<String> receiver) {
        this.receiver = receiver;
        subscribe();
    }

    private void subscribe() {
        subscription = redis.pubSub().thenCompose(c -> {
            c.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String from, String message) {
                    receiver.accept(message);
                }
            });
            return c.async().subscribe(channel).thenApply(v -> c);
        }).toCompletableFuture();
    }

    /** Whether the subscription is open; when the last attempt to open it failed, starts another. */
    @Override
    public synchronized boolean listening() {
        if (subscription == null) return false;
        if (subscription.isCompletedExceptionally()) {
            subscribe();
            return false;
        }
        return subscription.isDone() && subscription.join().isOpen();
    }

    @Override
    public CompletionStage<Void> publish(String message) {
        return redis.commands().thenCompose(cmd -> cmd.publish(channel, message)).thenApply(n -> null);
    }

    @Override
    public CompletionStage<Void> ping() {
        return redis.commands().thenCompose(cmd -> cmd.ping()).thenApply(pong -> null);
    }

    @Override
    public CompletionStage<Boolean> lease(String name, String holder, Duration ttl) {
        return redis.commands().thenCompose(cmd -> LEASE.run(cmd, new String[] {leasePrefix + name},
                new String[] {holder, Long.toString(ttl.toMillis())})).thenApply(r -> ((Long) r.get(0)) == 1);
    }

    @Override
    public CompletionStage<Map<String, String>> roster(String name, String member, String value, Duration ttl) {
        return redis.commands().thenCompose(cmd -> ROSTER.run(cmd, new String[] {rosterPrefix + name},
                new String[] {member, value, Long.toString(ttl.toMillis())})).thenApply(r -> {
                    Map<String, String> members = new TreeMap<>();
                    for (int i = 0; i + 1 < r.size(); i += 2) members.put((String) r.get(i), (String) r.get(i + 1));
                    return members;
                });
    }

    @Override
    public synchronized void close() {
        if (subscription != null && subscription.isDone() && !subscription.isCompletedExceptionally()) {
            subscription.join().close();
        }
        redis.close();
    }
}
