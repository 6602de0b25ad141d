package dev.spillway.gateway.console;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.spillway.core.net.Ports;
import dev.spillway.core.testkit.FakeOidcProvider;
import dev.spillway.gateway.access.Access;
import dev.spillway.gateway.access.jwt.JwksServer;
import dev.spillway.gateway.access.keys.KeyLimits;
import dev.spillway.gateway.access.keys.KeyService;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.server.GatewayServer;
import dev.spillway.gateway.testkit.FakeBackend;
import dev.spillway.gateway.testkit.Yaml;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A gateway with the console on: SQLite ledger and key store in a temp dir, a PTU backend
 * (reporting 62.5 % utilization) with a pay-as-you-go one behind it, audit of app billing in full,
 * the admin key, a viewer key and a JWT issuer; keys of apps billing (owner alice) and search
 * (owner bob, 2 requests/min). Shared by the console's API and browser tests.
 */
final class ConsoleFixture implements AutoCloseable {
    static final String ADMIN_KEY = "console-admin-key-0123456789abcdef";
    static final String VIEWER_KEY = "console-viewer-key-0123456789abcdef";
    static final String ISS = "https://login.example.test/console/v2.0";
    static final String PATH = "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21";

    final Vertx vertx = Vertx.vertx();
    final FakeBackend ptu;
    final FakeBackend payg;
    final JwksServer jwks = new JwksServer();
    /** The provider behind "Sign in with Contoso": its users are app owners (no mapped role). */
    final FakeOidcProvider oidc = new FakeOidcProvider(Clock.systemUTC());
    final ECKey signingKey;
    final GatewayServer gateway;
    final KeyService.IssuedKey billingKey;
    final KeyService.IssuedKey searchKey;
    private final HttpClient http = HttpClient.newHttpClient();

    ConsoleFixture(Path data) throws Exception {
        ptu = new FakeBackend(vertx, "ptu").start();
        ptu.extraHeader = "azure-openai-deployment-utilization: 62.5%";
        payg = new FakeBackend(vertx, "payg").start();
        signingKey = new ECKeyGenerator(Curve.P_256).keyID("c1").generate();
        jwks.publish(List.of(signingKey));
        oidc.claims = Map.of("oid", "alice", "preferred_username", "alice", "roles", List.of());
        int port = Ports.freePort("127.0.0.1");
        GatewayConfig config = Yaml.gateway("""
                gateway:
                  port: %8$d
                  data-dir: "%1$s"
                  database: { url: "jdbc:sqlite:%1$s/spillway.db" }
                  admin: { key: "%2$s" }
                  console:
                    sign-in:
                      viewer-key: "%3$s"
                      oidc: { issuer: "%9$s", client-id: %10$s, client-secret: %11$s, display-name: Contoso,
                              redirect-uri: "http://127.0.0.1:%8$d/ui/oidc/callback" }
                  jwt:
                    issuers: [ { issuer: "%4$s", audience: "api://spillway", jwks-uri: "%5$s", algorithms: [ES256] } ]
                  backends:
                    - { name: ptu, url: "%6$s", deployment: gpt-4o-ptu }
                    - { name: payg, url: "%7$s", deployment: gpt-4o-payg }
                  deployments:
                    - name: gpt-4o
                      backends: [ { backend: ptu, priority: 0 }, { backend: payg, priority: 1 } ]
                  prices:
                    - { backend: ptu, ptu-monthly-usd: 1000, ptu-monthly-tokens: 1000000 }
                    - { backend: payg, input-per-1m: 2.5, output-per-1m: 10 }
                  audit: { mode: metadata, apps: [ { app: billing, mode: full } ] }
                """.formatted(data, ADMIN_KEY, VIEWER_KEY, ISS, jwks.uri(), ptu.url(), payg.url(), port, oidc.issuer(),
                        FakeOidcProvider.CLIENT_ID, FakeOidcProvider.CLIENT_SECRET));
        Access access = Access.create(vertx, config.access(), Clock.systemUTC());
        billingKey = access.keys().create(new KeyService.NewKey("billing-prod", "billing", Optional.of("finance"),
                Optional.of("alice"), Set.of(), new KeyLimits(OptionalLong.empty(), OptionalLong.of(100_000),
                OptionalLong.empty(), OptionalLong.of(5_000_000), Optional.of(new java.math.BigDecimal("50"))),
                Optional.empty()));
        searchKey = access.keys().create(new KeyService.NewKey("search-prod", "search", Optional.of("web"),
                Optional.of("bob"), Set.of(), new KeyLimits(OptionalLong.of(2), OptionalLong.empty(),
                OptionalLong.empty(), OptionalLong.empty(), Optional.empty()), Optional.empty()));
        gateway = GatewayServer.start(vertx, config, 1, Clock.systemUTC(), access).toCompletionStage()
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    String url() {
        return gateway.baseUrl() + "/ui/";
    }

    /** One chat call through the gateway with {@code key}; returns the status. */
    HttpResponse<String> chat(String key, String content) throws Exception {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
        return http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + PATH)).header("api-key", key)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Real traffic for the charts: 6 billing calls on PTU, 2 spilled to pay-as-you-go while PTU
     * answers 429, and 3 search calls of which the third is refused by its 2 requests/min.
     */
    void traffic() throws Exception {
        for (int i = 0; i < 6; i++) chat(billingKey.secret(), "hello " + i + " from jane@example.com");
        ptu.status = 429;
        for (int i = 0; i < 2; i++) chat(billingKey.secret(), "spill " + i);
        ptu.status = 200;
        for (int i = 0; i < 3; i++) chat(searchKey.secret(), "search " + i);
    }

    /** A token from the test issuer for user {@code oid} with {@code roles}. */
    String token(String oid, List<String> roles) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISS).audience("api://spillway").subject(oid)
                .claim("oid", oid).claim("roles", roles)
                .expirationTime(new Date(System.currentTimeMillis() + 600_000)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("c1").build(), claims);
        jwt.sign(new ECDSASigner(signingKey));
        return jwt.serialize();
    }

    @Override
    public void close() throws Exception {
        gateway.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        jwks.close();
        oidc.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
