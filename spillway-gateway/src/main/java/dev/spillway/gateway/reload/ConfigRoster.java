package dev.spillway.gateway.reload;

import dev.spillway.gateway.route.share.FleetChannel;
import dev.spillway.gateway.telemetry.GatewayMetrics;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells whether the live replicas run the same config: every {@link #PERIOD} this replica puts the
 * SHA-256 of the config in force into the shared roster {@code config} (Redis, entries expiring
 * after {@link #TTL}) and reads everyone's back. Without a shared store, or while it is away, the
 * replica sees only itself. Thread-safe; one per gateway started from a file; close it to stop.
 */
public final class ConfigRoster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigRoster.class);
    public static final Duration PERIOD = Duration.ofSeconds(5);
    /** A replica that stopped publishing counts as gone after three periods. */
    public static final Duration TTL = PERIOD.multipliedBy(3);

    /** What this replica last saw: each live replica's config hash, whether the store answered, when. */
    public record View(Map<String, String> replicas, boolean shared, Instant at) {
        public View {
            replicas = Map.copyOf(replicas);
        }

        /** How many different configs the live replicas run (1 when they agree). */
        public int hashes() {
            return new HashSet<>(replicas.values()).size();
        }

        public boolean same() {
            return hashes() <= 1;
        }
    }

    private final Vertx vertx;
    private final Optional<FleetChannel> channel;
    private final Supplier<String> hash;
    private final Clock clock;
    private final String replica = UUID.randomUUID().toString().substring(0, 12);
    private volatile View view;
    private volatile boolean away;
    private final long timer;

    public ConfigRoster(Vertx vertx, Optional<FleetChannel> channel, Supplier<String> hash, Clock clock) {
        this.vertx = vertx;
        this.channel = channel;
        this.hash = hash;
        this.clock = clock;
        this.view = alone();
        refresh();
        this.timer = vertx.setPeriodic(PERIOD.toMillis(), id -> refresh());
    }

    /** This replica's id in the roster. */
    public String replica() { return replica; }

    public View view() { return view; }

    /** Publishes this replica's hash now and reads the others'. */
    public void refresh() {
        if (channel.isEmpty()) {
            view = alone();
            return;
        }
        channel.get().roster("config", replica, hash.get(), TTL).whenComplete((members, error) -> {
            if (error == null) {
                away = false;
                View seen = new View(members, true, clock.instant());
                if (!seen.same() && view.same()) LOG.warn("config: the live replicas run {} different configs: {}",
                        seen.hashes(), seen.replicas());
                view = seen;
            } else {
                if (!away) LOG.warn("config: cannot compare configs with the other replicas: {}", error.toString());
                away = true;
                view = alone();
            }
        });
    }

    private View alone() {
        return new View(Map.of(replica, hash.get()), false, clock.instant());
    }

    /**
     * {@code spillway_config_fleet_replicas} and {@code spillway_config_fleet_hashes}, read through
     * {@code holder} (kept strongly by the caller: Micrometer holds gauge sources weakly).
     */
    public static <T> void bind(GatewayMetrics metrics, T holder, Function<T, Optional<ConfigRoster>> roster) {
        metrics.bind("spillway.config.fleet.replicas", "Live replicas whose config hash this replica sees "
                + "(itself included; 0 when not started from a file)", holder,
                h -> roster.apply(h).map(x -> x.view().replicas().size()).orElse(0));
        metrics.bind("spillway.config.fleet.hashes", "Different config hashes among the live replicas "
                + "(1 when all run the same config)", holder, h -> roster.apply(h).map(x -> x.view().hashes()).orElse(0));
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
        channel.ifPresent(c -> vertx.executeBlocking(() -> {
            c.close();
            return null;
        }));
    }
}
