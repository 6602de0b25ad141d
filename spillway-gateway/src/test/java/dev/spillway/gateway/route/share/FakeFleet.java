package dev.spillway.gateway.route.share;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * An in-memory medium for replicas in one test: a publish reaches every listener at once, the
 * sender included (as Redis pub/sub echoes); leases and roster entries never expire; {@link #up} false makes every call
 * fail as a lost Redis does. Each replica gets its own {@link #channel()} onto it.
 */
final class FakeFleet {
    final List<Consumer<String>> receivers = new CopyOnWriteArrayList<>();
    final Map<String, String> leases = new HashMap<>();
    final Map<String, Map<String, String>> rosters = new HashMap<>();
    volatile boolean up = true;

    FleetChannel channel() {
        return new FleetChannel() {
            @Override
            public void listen(Consumer<String> receiver) {
                receivers.add(receiver);
            }

            @Override
            public boolean listening() {
                return up;
            }

            @Override
            public CompletionStage<Void> publish(String message) {
                if (!up) return CompletableFuture.failedFuture(new IllegalStateException("fleet down"));
                receivers.forEach(r -> r.accept(message));
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletionStage<Void> ping() {
                return up ? CompletableFuture.completedFuture(null)
                        : CompletableFuture.failedFuture(new IllegalStateException("fleet down"));
            }

            @Override
            public CompletionStage<Boolean> lease(String name, String holder, Duration ttl) {
                if (!up) return CompletableFuture.failedFuture(new IllegalStateException("fleet down"));
                synchronized (leases) {
                    return CompletableFuture.completedFuture(leases.computeIfAbsent(name, n -> holder).equals(holder));
                }
            }

            @Override
            public CompletionStage<Map<String, String>> roster(String name, String member, String value,
                    Duration ttl) {
                if (!up) return CompletableFuture.failedFuture(new IllegalStateException("fleet down"));
                synchronized (rosters) {
                    Map<String, String> roster = rosters.computeIfAbsent(name, n -> new java.util.TreeMap<>());
                    roster.put(member, value);
                    return CompletableFuture.completedFuture(Map.copyOf(roster));
                }
            }

            @Override
            public void close() {
            }
        };
    }
}
