package dev.spillway.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.gateway.testkit.FakeBackend;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.spillway.gateway.access.Access;
import dev.spillway.gateway.access.keys.InMemoryKeyStore;
import dev.spillway.gateway.access.limit.InMemoryQuotaStore;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.testkit.Yaml;
import io.vertx.core.Vertx;
import dev.spillway.gateway.access.jwt.JwksServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** JWT callers through the real server: roles per deployment and the forwarded caller id. */
class JwtGatewayTest {
    static final String ISS = "https://login.example.test/t/v2.0";
    static final String PATH = "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21";
    static final String CHAT = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    final HttpClient http = HttpClient.newHttpClient();
    Vertx vertx;
    FakeBackend backend;
    GatewayServer gateway;
    ECKey key;
    JwksServer jwks;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        backend = FakeBackend.started(vertx);
        key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        jwks = new JwksServer();
        jwks.publish(List.of(key));
        String yaml = """
                gateway:
                  port: 0
                  backends: [ { name: b, url: "%s", deployment: up, auth: api-key, secret: s } ]
                  deployments: [ { name: gpt-4o, backends: [b] } ]
                  jwt:
                    issuers: [ { issuer: "%s", audience: "api://spillway", jwks-uri: "%s",
                                 algorithms: [ES256], team-claim: groups } ]
                    required-roles: [ { deployment: gpt-4o, roles: [AI.User] } ]
                """.formatted(backend.url(), ISS, jwks.uri());
        GatewayConfig config = Yaml.gateway(yaml);
        Access access = new Access(vertx, config.access(), new InMemoryQuotaStore(Clock.systemUTC(), Duration.ofMinutes(5)),
                false, new InMemoryKeyStore(), Clock.systemUTC());
        gateway = GatewayServer.start(vertx, config, 1, Clock.systemUTC(), access).toCompletionStage()
                .toCompletableFuture().get();
    }

    @AfterEach
    void stop() throws Exception {
        jwks.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String token(List<String> roles) throws Exception {
        return token(roles, "3f2a-user");
    }

    String token(List<String> roles, String objectId) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISS).audience("api://spillway").subject("s")
                .claim("oid", objectId).claim("azp", "chat-ui").claim("roles", roles)
                .expirationTime(new Date(System.currentTimeMillis() + 600_000)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").build(), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    HttpResponse<String> call(String bearer) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + PATH))
                .header("authorization", "Bearer " + bearer).header("caller-objectid", "forged")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCallerWithTheRequiredRoleIsForwardedWithItsObjectId() throws Exception {
        HttpResponse<String> r = call(token(List.of("AI.User")));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(backend.last().headers().get("caller-objectid")).isEqualTo("3f2a-user");
        assertThat(backend.last().headers().get("authorization")).isNull();
    }

    @Test
    void aCallerWithoutTheRoleGets403AndABadTokenGets401() throws Exception {
        HttpResponse<String> noRole = call(token(List.of("Reader")));
        assertThat(noRole.statusCode()).isEqualTo(403);
        assertThat(noRole.body()).contains("role_required").contains("AI.User");
        HttpResponse<String> bad = call(token(List.of("AI.User")) + "x");
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(bad.body()).contains("Invalid bearer token");
        assertThat(backend.received).isEmpty();
    }

    @Test
    void aValidTokenWhoseUserClaimHoldsCrLfGetsA401NotA500() throws Exception {
        for (String user : List.of("evil\r\nx-injected: 1", "a\nb", "nul\u0000")) {
            HttpResponse<String> r = call(token(List.of("AI.User"), user));
            assertThat(r.statusCode()).as(user).isEqualTo(401);
            assertThat(r.body()).contains("claim 'oid' holds a control character");
        }
        assertThat(backend.received).isEmpty();
    }
}
