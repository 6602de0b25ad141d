package dev.spillway.gateway.access.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.config.Secret;
import dev.spillway.core.wire.Json;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeysAdminApiTest {
    static final String ADMIN = "admin-secret-123";
    Vertx vertx;
    HttpServer server;
    final InMemoryKeyStore store = new InMemoryKeyStore();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        KeysAdminApi api = new KeysAdminApi(vertx, new KeyService(store, Clock.systemUTC(), new SecureRandom()),
                Optional.of(Secret.literal(ADMIN)));
        server = vertx.createHttpServer().requestHandler(api::handle).listen(0, "127.0.0.1").await();
    }

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    record Reply(int status, JsonNode body) {
    }

    Reply call(String method, String path, String credential, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (credential != null) b.header("authorization", "Bearer " + credential);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), Json.MAPPER.readTree(r.body()));
    }

    @Test
    void anAdminCreatesListsRotatesAndRevokesKeysAndSeesTheSecretOnlyOnce() throws Exception {
        Reply created = call("POST", "/admin/keys", ADMIN, """
                {"app":"chat","team":"search","deployments":["gpt-4o"],"limits":{"tokens-per-minute":1000},
                 "expires-in":"30d"}""");
        assertThat(created.status()).isEqualTo(201);
        String secret = created.body().get("secret").asText();
        String id = created.body().at("/key/id").asText();
        assertThat(secret).startsWith("sk-spw-");
        assertThat(created.body().at("/key/limits/tokens-per-minute").asLong()).isEqualTo(1000);

        Reply list = call("GET", "/admin/keys", ADMIN, null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().toString()).contains(id).doesNotContain(secret).doesNotContain(ApiKeySecrets.hash(secret));

        Reply rotated = call("POST", "/admin/keys/" + id + "/rotate", ADMIN, "{\"overlap\":\"1h\"}");
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.body().get("secret").asText()).isNotEqualTo(secret);
        assertThat(rotated.body().at("/key/app").asText()).isEqualTo("chat");

        Reply revoked = call("POST", "/admin/keys/" + id + "/revoke", ADMIN, null);
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.body().has("revoked-at")).isTrue();
    }

    @Test
    void noCredentialIs401AndAnyOtherCredentialIs403() throws Exception {
        Reply none = call("GET", "/admin/keys", null, null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.body().at("/error/code").asText()).isEqualTo("401");
        Reply appKey = call("GET", "/admin/keys", "sk-spw-" + "a".repeat(43), null);
        assertThat(appKey.status()).isEqualTo(403);
        assertThat(appKey.body().at("/error/type").asText()).isEqualTo("permission_error");
    }

    @Test
    void smuggledOrMalformedFieldsAreRejectedWithTheirName() throws Exception {
        Reply extra = call("POST", "/admin/keys", ADMIN, "{\"app\":\"a\",\"role\":\"admin\"}");
        assertThat(extra.status()).isEqualTo(400);
        assertThat(extra.body().at("/error/message").asText()).contains("role: unknown field");
        Reply budget = call("POST", "/admin/keys", ADMIN, "{\"app\":\"a\",\"limits\":{\"tenant_id\":1}}");
        assertThat(budget.body().at("/error/message").asText()).contains("limits.tenant_id: unknown field");
        assertThat(call("POST", "/admin/keys", ADMIN, "{\"team\":\"x\"}").body().at("/error/message").asText())
                .contains("app");
        assertThat(call("POST", "/admin/keys", ADMIN, "not json").status()).isEqualTo(400);
        assertThat(store.list()).isEmpty();
    }

    @Test
    void unknownKeysAndRoutesAnswer404AndWrongMethods405() throws Exception {
        assertThat(call("POST", "/admin/keys/key_nope/revoke", ADMIN, null).status()).isEqualTo(404);
        assertThat(call("POST", "/admin/keys/key_nope/explode", ADMIN, null).status()).isEqualTo(404);
        assertThat(call("DELETE", "/admin/keys", ADMIN, null).status()).isEqualTo(405);
    }
}
