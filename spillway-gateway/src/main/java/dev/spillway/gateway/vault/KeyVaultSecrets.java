package dev.spillway.gateway.vault;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.config.Secret;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.config.ManagedIdentityConfig;
import dev.spillway.gateway.route.Delay;
import dev.spillway.gateway.route.identity.ManagedIdentity;
import dev.spillway.gateway.route.identity.TokenSource;
import dev.spillway.gateway.telemetry.GatewayMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the config's {@code ${keyvault:...}} secrets over Key Vault's REST API with the managed
 * identity (audience {@code https://vault.azure.net}), before the gateway starts, and again every
 * {@code refresh-interval}, so a rotated backend key or signing key applies without a restart
 * (readers call {@link Secret#value()} per use). A refresh that fails keeps the last good value,
 * logs a warning naming the secret and counts {@code spillway.keyvault.refresh.failures}; only
 * the first fetch must succeed. Thread-safe; one per gateway, closed at stop.
 */
public final class KeyVaultSecrets {
    private static final Logger LOG = LoggerFactory.getLogger(KeyVaultSecrets.class);

    private final Vertx vertx;
    private final KeyVaultConfig config;
    private final TokenSource tokens;
    private final HttpClient client;
    private final Clock clock;
    private final AtomicLong failures = new AtomicLong();
    /** Secrets whose last refresh failed, by URL, with when they were last fetched. */
    private final Map<URI, Instant> stale = new ConcurrentHashMap<>();
    private volatile long timer = -1;

    private KeyVaultSecrets(Vertx vertx, KeyVaultConfig config, ManagedIdentityConfig identity, Clock clock) {
        this.vertx = vertx;
        this.config = config;
        this.clock = clock;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
        this.tokens = new TokenSource(new ManagedIdentity(identity, vertx).request(ManagedIdentity.KEY_VAULT),
                identity.refreshBefore(), client, clock, Delay.of(vertx));
    }

    /**
     * Fetches every reference once and schedules the refreshes; empty when the config has none.
     * Fails, naming each secret that could not be fetched, if any first fetch fails.
     */
    public static Future<Optional<KeyVaultSecrets>> open(Vertx vertx, KeyVaultConfig config,
            Optional<ManagedIdentityConfig> identity, Clock clock) {
        if (config.references().isEmpty()) return Future.succeededFuture(Optional.empty());
        KeyVaultSecrets vault = new KeyVaultSecrets(vertx, config, identity.orElseThrow(), clock);
        return vault.fetchAll().map(v -> {
            vault.timer = vertx.setPeriodic(config.refreshInterval().toMillis(), id -> vault.refresh());
            return Optional.of(vault);
        }).onFailure(e -> vault.close());
    }

    private Future<Void> fetchAll() {
        List<Future<String>> all = new ArrayList<>();
        config.references().forEach((path, secret) -> all.add(fetch(secret.vaultSecret().orElseThrow())
                .onSuccess(secret::vaultValue)
                .recover(e -> Future.failedFuture(path + ": " + e.getMessage()))));
        return Future.join(all).<Void>mapEmpty().recover(e -> {
            List<String> why = all.stream().filter(Future::failed).map(f -> f.cause().getMessage()).toList();
            return Future.failedFuture(new IllegalStateException("Key Vault: " + String.join("; ", why)));
        });
    }

    /** One refresh pass; each secret keeps its last good value when its fetch fails. */
    Future<Void> refresh() {
        List<Future<String>> all = new ArrayList<>();
        config.references().values().forEach(secret -> {
            URI url = secret.vaultSecret().orElseThrow();
            all.add(fetch(url).onSuccess(value -> {
                secret.vaultValue(value);
                stale.remove(url);
            }).onFailure(e -> {
                failures.incrementAndGet();
                Instant since = stale.computeIfAbsent(url, u -> clock.instant());
                LOG.warn("Key Vault secret {}: refresh failed ({}); keeping the last value fetched (stale since {})",
                        url, e.getMessage(), since);
            }));
        });
        return Future.join(all).<Void>mapEmpty().otherwiseEmpty();
    }

    private Future<String> fetch(URI secret) {
        URI url = config.url(secret);
        return tokens.token().compose(token -> client.request(new RequestOptions().setMethod(HttpMethod.GET)
                        .setAbsoluteURI(url.toString()).putHeader("authorization", "Bearer " + token)
                        .putHeader("accept", "application/json").setIdleTimeout(config.timeout().toMillis())))
                .compose(request -> request.send().compose(response -> response.body().compose(body ->
                        parse(secret, response.statusCode(), body.getBytes()))));
    }

    /** The value of a 200 answer; Key Vault's error envelope ({"error":{"code","message"}}) otherwise. */
    private static Future<String> parse(URI secret, int status, byte[] body) {
        try {
            JsonNode json = Json.MAPPER.readTree(body);
            if (status == 200 && json != null && json.path("value").isTextual()) {
                return Future.succeededFuture(json.get("value").asText());
            }
            String code = json == null ? "" : json.path("error").path("code").asText("");
            return Future.failedFuture(secret + " answered " + status + (code.isEmpty() ? "" : " " + code));
        } catch (IOException e) {
            return Future.failedFuture(secret + " answered " + status + " with a body that is not JSON");
        }
    }

    /**
     * Publishes the refresh failure count and how many secrets hold a stale value, read from the
     * client {@code current} names on each scrape (a config reload opens a new one, whose count
     * starts again at 0).
     */
    public static void bind(GatewayMetrics metrics, Supplier<Optional<KeyVaultSecrets>> current) {
        metrics.bind("spillway.keyvault.refresh.failures", "Key Vault secret refreshes that failed (the last value is kept)",
                current, c -> c.get().map(v -> (double) v.failures.get()).orElse(0.0));
        metrics.bind("spillway.keyvault.stale.secrets", "Key Vault secrets whose last refresh failed", current,
                c -> c.get().map(v -> (double) v.stale.size()).orElse(0.0));
    }

    long refreshFailures() {
        return failures.get();
    }

    public void close() {
        if (timer >= 0) vertx.cancelTimer(timer);
        tokens.close();
        client.close();
    }
}
