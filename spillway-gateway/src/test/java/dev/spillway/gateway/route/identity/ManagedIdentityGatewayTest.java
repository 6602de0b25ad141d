package dev.spillway.gateway.route.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.Secret;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backends with {@code auth: managed-identity}, end to end on loopback: the simulator plays the
 * metadata endpoint, the App Service identity endpoint and Entra's token endpoint, and its
 * deployments accept only a live token whose audience is Azure OpenAI's.
 */
class ManagedIdentityGatewayTest {
    static final String KEY = "client-key-0123456789abcdef0123456789";
    static final String IDENTITY_HEADER = "identity-header-for-the-test";
    static final String FEDERATED = "eyJ-federated-service-account-token";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static Vertx vertx;
    static Simulator sim;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        AzureConfig azure = new AzureConfig(Optional.of(Secret.literal(IDENTITY_HEADER)),
                Optional.of(Secret.literal(FEDERATED)), Duration.ofHours(1), true, Map.of());
        sim = await(Simulator.start(vertx, SimulatorConfig.demo().withEventLoops(1).withAzure(azure)));
    }

    @AfterAll
    static void stop() throws Exception {
        await(vertx.close());
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Starts a gateway with {@code identity} and one managed-identity backend, sends one chat, stops. */
    static HttpResponse<String> chatWith(String identity) throws Exception {
        GatewayServer gateway = await(GatewayServer.start(vertx, Yaml.gateway("""
                gateway:
                  port: 0
                  data-dir: "%s"
                  keys: [ { name: test-app, key: "%s" } ]
                  identity: %s
                  backends: [ { name: ptu, url: "%s", deployment: gpt-4o-ptu, auth: managed-identity } ]
                  deployments: [ { name: gpt-4o, backends: [ptu] } ]
                """.formatted(dir, KEY, identity, sim.baseUrl())), 1, Clock.systemUTC()));
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
                            + "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21"))
                    .header("api-key", KEY).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } finally {
            await(gateway.close());
        }
    }

    @Test
    void aTokenFromTheInstanceMetadataEndpointReachesAzureOpenAi() throws Exception {
        HttpResponse<String> r = chatWith("{ kind: imds, imds-url: \"%s\" }".formatted(sim.baseUrl()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void aTokenFromTheAppServiceIdentityEndpointReachesAzureOpenAi() throws Exception {
        HttpResponse<String> r = chatWith("{ kind: app-service, identity-endpoint: \"%s/msi/token\", identity-header: \"%s\" }"
                .formatted(sim.baseUrl(), IDENTITY_HEADER));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void aWorkloadIdentitysFederatedTokenIsExchangedAtEntra() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("azure-identity-token"), FEDERATED + "\n");
        HttpResponse<String> r = chatWith(("{ kind: workload, tenant-id: tenant-1, client-id: app-1, token-file: \"%s\","
                + " authority-host: \"%s\" }").formatted(tokenFile, sim.baseUrl()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void aWrongIdentityHeaderIsRefusedAndTheClientGetsABadGateway() throws Exception {
        HttpResponse<String> r = chatWith("{ kind: app-service, identity-endpoint: \"%s/msi/token\", identity-header: wrong }"
                .formatted(sim.baseUrl()));
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("token endpoint 127.0.0.1 answered 401");
    }

    @Test
    void theSimulatorRefusesATokenForAnotherAudience() throws Exception {
        String vaultToken = HTTP.send(HttpRequest.newBuilder(URI.create(sim.baseUrl()
                + "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net"))
                .header("metadata", "true").build(), HttpResponse.BodyHandlers.ofString()).body()
                .replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(sim.baseUrl()
                        + "/openai/deployments/gpt-4o-ptu/chat/completions?api-version=2024-10-21"))
                .header("authorization", "Bearer " + vaultToken).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(vaultToken).startsWith("sim-entra-");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("https://cognitiveservices.azure.com");
    }

    @Test
    void theMetadataEndpointWantsItsHeader() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(sim.baseUrl()
                + "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://cognitiveservices.azure.com"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("Required metadata header not specified");
    }
}
