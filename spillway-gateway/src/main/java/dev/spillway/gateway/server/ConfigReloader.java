package dev.spillway.gateway.server;

import dev.spillway.core.config.ConfigException;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.config.SecretCheck;
import dev.spillway.gateway.reload.ConfigRoster;
import dev.spillway.gateway.reload.ConfigSource;
import dev.spillway.gateway.reload.ReloadOutcome;
import dev.spillway.gateway.reload.RestartOnly;
import dev.spillway.gateway.route.share.FleetChannelProvider;
import dev.spillway.gateway.safety.OutboundHosts;
import dev.spillway.gateway.telemetry.GatewayMetrics;
import dev.spillway.gateway.vault.KeyVaultSecrets;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a changed config file without a restart (STYLE rule 11): reads and validates the whole
 * file as at start, builds the next {@link Generation} and swaps it in at once; requests already
 * running finish on the generation they started with. A file that does not validate, names a
 * secret that cannot be read, or whose Key Vault secrets cannot be fetched is refused: the old
 * config keeps serving, the errors are logged, kept for {@code GET /admin/config} and counted in
 * {@code spillway_config_reloads_total{outcome="refused"}}. Settings built once at start
 * ({@link RestartOnly}) keep their running value and are reported as needing a restart.
 * Triggered by the file's digest changing (checked every {@code reload.interval}), by
 * {@code POST /admin/config/reload} and by SIGHUP; reloads run one at a time. Thread-safe.
 */
final class ConfigReloader {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

    /** Builds the generation for a validated config on top of the one in force. */
    interface Builder {
        Generation next(Generation current, GatewayConfig config, Optional<KeyVaultSecrets> vault);
    }

    private final Vertx vertx;
    private final ConfigSource source;
    private final AtomicReference<Generation> current;
    private final Builder builder;
    private final Clock clock;
    private final GatewayMetrics metrics;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    /** The {@code gateway:} section the process started with: restart-only keys run as written there. */
    private final JsonNode startSection;
    private volatile ReloadOutcome.Applied inForce;
    private volatile Optional<ReloadOutcome.Refused> lastRefused = Optional.empty();
    /** The digest last read, applied or refused, so a refused file is tried again only once it changes. */
    private volatile String lastSeen;
    private Future<ReloadOutcome> queue = Future.succeededFuture();
    private long timer = -1;
    private final ConfigRoster roster;

    ConfigReloader(Vertx vertx, ConfigSource source, ConfigSource.Loaded first, AtomicReference<Generation> current,
            Builder builder, Clock clock, GatewayMetrics metrics) {
        this.vertx = vertx;
        this.source = source;
        this.current = current;
        this.builder = builder;
        this.clock = clock;
        this.metrics = metrics;
        this.startSection = first.gateway();
        this.inForce = new ReloadOutcome.Applied(first.hash(), clock.instant(), List.of());
        this.lastSeen = first.hash();
        this.roster = new ConfigRoster(vertx, FleetChannelProvider.forStore(current.get().config.access().store()),
                () -> inForce.hash(), clock);
    }

    /** Checks the file's digest every {@code interval}; a change is reloaded. */
    void watch(Duration interval) {
        timer = vertx.setPeriodic(interval.toMillis(), id -> vertx.executeBlocking(source::digest, false)
                .onSuccess(digest -> {
                    if (!digest.equals(lastSeen)) reload();
                }));
    }

    /** Reads the source and applies it if it changed and is valid; one reload at a time. */
    synchronized Future<ReloadOutcome> reload() {
        queue = queue.transform(ignored -> attempt());
        return queue;
    }

    String source() { return source.name(); }
    ReloadOutcome.Applied inForce() { return inForce; }
    Optional<ReloadOutcome.Refused> lastRefused() { return lastRefused; }
    long appliedCount() { return applied.get(); }
    long refusedCount() { return refused.get(); }
    /** Which config hash each live replica runs, as this replica last saw. */
    ConfigRoster roster() { return roster; }

    void close() {
        if (timer >= 0) vertx.cancelTimer(timer);
        roster.close();
    }

    /** A config read and judged, ready to be applied. */
    private record Candidate(ConfigSource.Loaded loaded, GatewayConfig effective, List<String> restartNeeded) {
    }

    private Future<ReloadOutcome> attempt() {
        return vertx.executeBlocking(this::judge, false).compose(judged -> {
            if (!(judged instanceof Candidate c)) return Future.succeededFuture(settle((ReloadOutcome) judged));
            GatewayConfig config = c.effective();
            return KeyVaultSecrets.open(vertx, config.keyVault(), config.identity(), clock)
                    .map(vault -> settle(apply(c, vault)))
                    .recover(e -> Future.succeededFuture(settle(refusal(c.loaded().hash(), List.of(
                            "gateway.key-vault: " + e.getMessage())))));
        });
    }

    /** Reads and validates the source: a Candidate, or the outcome when there is nothing to apply. */
    private Object judge() {
        ConfigSource.Loaded loaded;
        try {
            loaded = source.load();
        } catch (ConfigException e) {
            return refusal(source.digest(), e.problems());
        }
        lastSeen = loaded.hash();
        if (loaded.hash().equals(inForce.hash())) return new ReloadOutcome.Unchanged(loaded.hash());
        List<String> errors = new ArrayList<>(SecretCheck.unresolved(loaded.config()));
        GatewayConfig effective = null;
        try {
            effective = RestartOnly.merge(current.get().config, loaded.config());
            OutboundHosts.check(effective).forEach(v -> errors.add("gateway." + v.path() + ": " + v.message()));
        } catch (IllegalArgumentException e) {
            errors.add("gateway." + e.getMessage());
        }
        if (!errors.isEmpty()) return refusal(loaded.hash(), errors);
        return new Candidate(loaded, effective, RestartOnly.changed(startSection, loaded.gateway()));
    }

    private ReloadOutcome apply(Candidate c, Optional<KeyVaultSecrets> vault) {
        Generation before = current.get();
        Generation next;
        try {
            next = builder.next(before, c.effective(), vault);
        } catch (RuntimeException e) {
            vault.ifPresent(KeyVaultSecrets::close);
            return refusal(c.loaded().hash(), List.of("gateway: " + e.getMessage()));
        }
        current.set(next);
        before.retire(next);
        return new ReloadOutcome.Applied(c.loaded().hash(), clock.instant(), c.restartNeeded());
    }

    private ReloadOutcome.Refused refusal(String hash, List<String> errors) {
        lastSeen = hash;
        return new ReloadOutcome.Refused(hash, clock.instant(), errors);
    }

    /** Records, logs and counts an outcome. */
    private ReloadOutcome settle(ReloadOutcome outcome) {
        switch (outcome) {
            case ReloadOutcome.Applied a -> {
                inForce = a;
                applied.incrementAndGet();
                roster.refresh();
                metrics.configReload("applied");
                LOG.info("config: applied {} (sha256 {}){}", source.name(), a.hash(), a.restartNeeded().isEmpty() ? ""
                        : "; not applied until a restart: " + String.join("; ", a.restartNeeded()));
            }
            case ReloadOutcome.Refused r -> {
                lastRefused = Optional.of(r);
                refused.incrementAndGet();
                metrics.configReload("refused");
                LOG.warn("config: refused {} (sha256 {}), the running config stays in force: {}", source.name(),
                        r.hash(), String.join("; ", r.errors()));
            }
            case ReloadOutcome.Unchanged u -> LOG.debug("config: {} unchanged", source.name());
        }
        return outcome;
    }
}
