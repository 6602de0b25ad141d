package dev.spillway.gateway.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.Secret;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.server.GatewayServer;
import dev.spillway.gateway.testkit.Yaml;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import dev.spillway.simulator.azure.AzureConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ${keyvault:...}} references against the simulator's secrets API, read with the managed
 * identity: fetched before start, a rotated value applied without a restart, a failing vault
 * keeping the last good value and counting the failure.
 */
class KeyVaultSecretsTest {
    static final String KEY = "client-key-0123456789abcdef0123456789";
    static final String REF = "${keyvault:https://spillway-test.vault.azure.net/secrets/backend-key}";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final Vertx vertx = Vertx.vertx();
    Simulator sim;
    Path simKey;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        simKey = Files.writeString(dir.resolve("sim.key"), "backend-key-1");
        AzureConfig azure = new AzureConfig(Optional.empty(), Optional.empty(), Duration.ofHours(1), false,
                Map.of("backend-key", "backend-key-1"));
        SimulatorConfig config = SimulatorConfig.demo().withEventLoops(1).withAzure(azure);
        ConfigNode keyNode = ConfigLoader.parse("k: \"${file:" + simKey + "}\"", Map.of());
        sim = await(Simulator.start(vertx, new SimulatorConfig(config.host(), 0, Optional.of(keyNode.secret("k")),
                config.seed(), config.region(), config.latency(), config.deployments(), config.faults(), 1, config.azure())));
    }

    @AfterEach
    void stop() throws Exception {
        await(vertx.close());
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    GatewayConfig gateway(String reference, String refresh) {
        return Yaml.gateway("""
                gateway:
                  port: 0
                  data-dir: "%s"
                  keys: [ { name: test-app, key: "%s" } ]
                  identity: { kind: imds, imds-url: "%s" }
                  key-vault: { endpoint: "%s", refresh-interval: %s }
                  backends: [ { name: ptu, url: "%s", deployment: gpt-4o-ptu, auth: api-key, secret: "%s" } ]
                  deployments: [ { name: gpt-4o, backends: [ptu] } ]
                """.formatted(dir, KEY, sim.baseUrl(), sim.baseUrl(), refresh, sim.baseUrl(), reference));
    }

    KeyVaultSecrets open(GatewayConfig config) throws Exception {
        return await(KeyVaultSecrets.open(vertx, config.keyVault(), config.identity(), Clock.systemUTC())).orElseThrow();
    }

    static Secret backendSecret(GatewayConfig config) {
        return config.backends().getFirst().secret().orElseThrow();
    }

    /** Sets or deletes a secret as an operator would, with a vault token from the metadata endpoint. */
    HttpResponse<String> vault(String method, String name, String body) throws Exception {
        String token = HTTP.send(HttpRequest.newBuilder(URI.create(sim.baseUrl()
                        + "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net"))
                .header("metadata", "true").build(), HttpResponse.BodyHandlers.ofString()).body()
                .replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
        return HTTP.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/secrets/" + name + "?api-version=7.4"))
                .header("authorization", "Bearer " + token).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    int chat(GatewayServer gateway) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
                        + "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21"))
                .header("api-key", KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void referencesAreCollectedWithTheirPaths() {
        GatewayConfig config = gateway(REF, "5m");
        assertThat(config.keyVault().references()).containsOnlyKeys("gateway.backends[0].secret");
        assertThat(backendSecret(config).vaultSecret()).contains(URI.create(
                "https://spillway-test.vault.azure.net/secrets/backend-key"));
        assertThat(config.keyVault().url(backendSecret(config).vaultSecret().orElseThrow()))
                .isEqualTo(URI.create(sim.baseUrl() + "/secrets/backend-key?api-version=7.4"));
    }

    @Test
    void aRotatedSecretIsReadOnTheNextRefresh() throws Exception {
        GatewayConfig config = gateway(REF, "5m");
        KeyVaultSecrets vault = open(config);
        try {
            assertThat(backendSecret(config).value()).isEqualTo("backend-key-1");
            assertThat(vault("PUT", "backend-key", "{\"value\":\"backend-key-2\"}").statusCode()).isEqualTo(200);
            assertThat(backendSecret(config).value()).isEqualTo("backend-key-1");
            await(vault.refresh());
            assertThat(backendSecret(config).value()).isEqualTo("backend-key-2");
            assertThat(vault.refreshFailures()).isZero();
        } finally {
            vault.close();
        }
    }

    @Test
    void aFailingVaultKeepsTheLastGoodValueAndCountsTheFailure() throws Exception {
        GatewayConfig config = gateway(REF, "5m");
        KeyVaultSecrets vault = open(config);
        try {
            assertThat(vault("DELETE", "backend-key", null).statusCode()).isEqualTo(200);
            await(vault.refresh());
            assertThat(backendSecret(config).value()).isEqualTo("backend-key-1");
            assertThat(vault.refreshFailures()).isEqualTo(1);
            await(sim.close());
            await(vault.refresh());
            assertThat(backendSecret(config).value()).isEqualTo("backend-key-1");
            assertThat(vault.refreshFailures()).isEqualTo(2);
        } finally {
            vault.close();
        }
    }

    @Test
    void aSecretMissingAtStartStopsTheGatewayNamingIt() {
        GatewayConfig config = gateway("${keyvault:https://spillway-test.vault.azure.net/secrets/no-such-key}", "5m");
        assertThatThrownBy(() -> await(GatewayServer.start(vertx, config, 1, Clock.systemUTC())))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("gateway.backends[0].secret: https://spillway-test.vault.azure.net/secrets/no-such-key answered 404 SecretNotFound");
    }

    @Test
    void aRotatedBackendKeyTakesEffectWithoutARestart() throws Exception {
        GatewayServer gateway = await(GatewayServer.start(vertx, gateway(REF, "1s"), 1, Clock.systemUTC()));
        try {
            assertThat(chat(gateway)).isEqualTo(200);
            Files.writeString(simKey, "backend-key-2"); // the backend's key is rotated (read again within 1s) ...
            assertThat(vault("PUT", "backend-key", "{\"value\":\"backend-key-2\"}").statusCode()).isEqualTo(200);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); // ... and the gateway follows on its schedule
            int status = 0;
            while (System.nanoTime() < end && (status = chat(gateway)) != 200) Thread.sleep(100);
            assertThat(status).isEqualTo(200);
        } finally {
            await(gateway.close());
        }
    }

    @Test
    void aReferenceMustNameASecretUrl() {
        assertThatThrownBy(() -> gateway("${keyvault:http://spillway-test.vault.azure.net/keys/k}", "5m"))
                .hasMessageContaining("a Key Vault reference must be ${keyvault:https://VAULT.vault.azure.net/secrets/NAME}");
    }
}
