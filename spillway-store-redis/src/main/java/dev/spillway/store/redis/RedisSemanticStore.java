package dev.spillway.store.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.cache.semantic.SemanticEntry;
import dev.spillway.gateway.cache.semantic.SemanticFollower;
import dev.spillway.gateway.cache.semantic.SemanticStore;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The semantic entries shared by every replica, in Redis: each entry a JSON string that expires
 * with it ({@code <prefix>e:<id>}), an index of them by expiry ({@code <prefix>idx}, which bounds
 * their number), a set of ids per app (for purges) and a change log, a stream ({@code <prefix>log},
 * trimmed to about {@value #LOG_LENGTH} changes). Writes are Lua scripts, atomic with their log
 * entry.
 *
 * <p>Implementation notes. A follower is a {@link SemanticFollower} thread with its own
 * connection: it notes the log's last id, loads every live entry, then reads the log from that id
 * on, so a change made during the load is applied again afterwards (every change is idempotent).
 * On any failure (Redis away, the log trimmed past the follower's place) the follower connects
 * and loads everything again, so a replica never serves from a copy it knows to be stale for
 * longer than the outage. Thread-safe; close it to stop the follower and disconnect.
 */
public final class RedisSemanticStore implements SemanticStore {
    private static final LuaScript ADD = LuaScript.resource("semantic-add.lua");
    private static final LuaScript PURGE = LuaScript.resource("semantic-purge.lua");
    static final int LOG_LENGTH = 10_000;
    private static final int BATCH = 512;
    private static final Duration BLOCK = Duration.ofSeconds(1);

    private final RedisConnector redis;
    private final String url;
    private final String prefix;
    private final int maxEntries;
    private final Clock clock;
    private final SemanticFollower follower = new SemanticFollower("Redis");

    public RedisSemanticStore(String url, Duration timeout, String keyPrefix, int maxEntries, Clock clock) {
        if (maxEntries < 1) throw new IllegalArgumentException("max-entries: must be >= 1, was " + maxEntries);
        this.redis = new RedisConnector(url, timeout);
        this.url = url;
        this.prefix = keyPrefix;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Void> add(SemanticEntry entry) {
        long now = clock.millis();
        long ttl = Math.max(1, entry.expiresAt() - now);
        String[] keys = {prefix + "e:" + entry.id(), prefix + "idx", prefix + "app:" + entry.app(), prefix + "log"};
        String[] args = {entry.id(), entry.app(), encode(entry), Long.toString(entry.expiresAt()), Long.toString(now),
                Long.toString(ttl), Integer.toString(maxEntries), prefix, Integer.toString(LOG_LENGTH)};
        return redis.commands().thenCompose(cmd -> ADD.run(cmd, keys, args)).thenApply(r -> null);
    }

    @Override
    public CompletionStage<Void> purge(String app, Optional<String> partition) {
        String[] keys = {prefix + "app:" + app, prefix + "idx", prefix + "log"};
        String[] args = {app, partition.orElse(""), prefix, Integer.toString(LOG_LENGTH)};
        return redis.commands().thenCompose(cmd -> PURGE.run(cmd, keys, args)).thenApply(r -> null);
    }

    @Override
    public void follow(Listener listener) {
        follower.start(() -> loadAndFollow(listener));
    }

    @Override
    public void close() {
        follower.close();
        redis.close();
    }

    /** One session of the follower, on a connection of its own (a blocking read holds it). */
    private void loadAndFollow(Listener listener) {
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(BLOCK.multipliedBy(5));
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            followOn(connection.sync(), listener);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private void followOn(RedisCommands<String, String> redis, Listener listener) {
        List<StreamMessage<String, String>> last = redis.xrevrange(prefix + "log", Range.unbounded(), Limit.create(0, 1));
        String position = last.isEmpty() ? "0-0" : last.getFirst().getId();
        listener.reset(load(redis));
        while (!follower.closed()) {
            List<StreamMessage<String, String>> changes = redis.xread(
                    XReadArgs.Builder.block(BLOCK).count(BATCH), XReadArgs.StreamOffset.from(prefix + "log", position));
            if (changes.isEmpty()) continue;
            if (trimmedPast(redis, position)) throw new IllegalStateException("the change log was trimmed past " + position);
            for (StreamMessage<String, String> change : changes) {
                change(change).applyTo(listener);
                position = change.getId();
            }
        }
    }

    /** Whether the log's oldest change is newer than the follower's place: changes were lost. */
    private boolean trimmedPast(RedisCommands<String, String> redis, String position) {
        if ("0-0".equals(position)) return false;
        List<StreamMessage<String, String>> first = redis.xrange(prefix + "log", Range.unbounded(), Limit.create(0, 1));
        return !first.isEmpty() && compare(first.getFirst().getId(), position) > 0;
    }

    private static int compare(String a, String b) {
        String[] x = a.split("-");
        String[] y = b.split("-");
        int ms = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
        return ms != 0 ? ms : Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
    }

    private List<SemanticEntry> load(RedisCommands<String, String> redis) {
        List<String> members = redis.zrangebyscore(prefix + "idx", Range.create(clock.millis(), Double.POSITIVE_INFINITY));
        List<SemanticEntry> entries = new ArrayList<>(members.size());
        for (int from = 0; from < members.size(); from += BATCH) {
            String[] keys = members.subList(from, Math.min(members.size(), from + BATCH)).stream()
                    .map(m -> prefix + "e:" + m.substring(m.indexOf('\n') + 1)).toArray(String[]::new);
            for (KeyValue<String, String> kv : redis.mget(keys)) {
                if (kv.hasValue()) entries.add(decode(kv.getValue()));
            }
        }
        return entries;
    }

    private static SemanticFollower.Change change(StreamMessage<String, String> message) {
        var body = message.getBody();
        String op = body.getOrDefault("op", "");
        String partition = body.getOrDefault("partition", "");
        return new SemanticFollower.Change(message.getId(), op,
                op.equals("add") ? Optional.of(decode(body.get("entry"))) : Optional.empty(), body.get("id"),
                body.get("app"), partition.isEmpty() ? Optional.empty() : Optional.of(partition));
    }

    static String encode(SemanticEntry e) {
        ObjectNode json = Json.MAPPER.createObjectNode().put("app", e.app()).put("partition", e.partition())
                .put("request", e.request()).put("deployment", e.deployment()).put("context", e.context())
                .put("model", e.model()).put("expiresAt", e.expiresAt())
                .put("vector", Base64.getEncoder().encodeToString(e.vectorBytes()));
        return json.toString();
    }

    static SemanticEntry decode(String text) {
        try {
            JsonNode j = Json.MAPPER.readTree(text);
            return new SemanticEntry(j.path("app").asText(), j.path("partition").asText(), j.path("request").asText(),
                    j.path("deployment").asText(), j.path("context").asText(), j.path("model").asText(),
                    SemanticEntry.vectorOf(Base64.getDecoder().decode(j.path("vector").asText())),
                    j.path("expiresAt").asLong());
        } catch (IOException e) {
            throw new UncheckedIOException("a semantic entry in Redis is not JSON", e);
        }
    }
}
