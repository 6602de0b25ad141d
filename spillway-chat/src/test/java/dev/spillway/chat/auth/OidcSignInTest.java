package dev.spillway.chat.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.testkit.FakeClock;
import dev.spillway.core.testkit.FakeOidcProvider;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.chat.FakeChatModel;
import dev.spillway.chat.TestChatApp;
import dev.spillway.chat.WebClient;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OidcSignInTest {
    @TempDir
    Path dir;
    private FakeOidcProvider provider;
    private TestChatApp app;

    @BeforeEach
    void start() throws Exception {
        provider = new FakeOidcProvider(new FakeClock(Instant.parse("2026-02-01T09:00:00Z")));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        app = new TestChatApp(dir, new FakeChatModel(), port, """
                oidc:
                  issuer: "%s"
                  client-id: %s
                  client-secret: %s
                  redirect-uri: "http://127.0.0.1:%d/auth/oidc/callback"
                  display-name: Test IdP
                """.formatted(provider.issuer(), FakeOidcProvider.CLIENT_ID, FakeOidcProvider.CLIENT_SECRET, port));
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
        provider.close();
    }

    /** Follows start → provider → callback like a browser; returns the callback's response. */
    private HttpResponse<String> signIn(WebClient browser) throws Exception {
        HttpResponse<String> start = browser.get("/auth/oidc/start");
        assertThat(start.statusCode()).isEqualTo(302);
        String authorize = start.headers().firstValue("location").orElseThrow();
        HttpResponse<String> approved = browser.http.send(HttpRequest.newBuilder(URI.create(authorize)).build(),
                HttpResponse.BodyHandlers.ofString());
        String callback = approved.headers().firstValue("location").orElseThrow();
        return browser.http.send(HttpRequest.newBuilder(URI.create(callback)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void authorizationCodeWithPkceSignsTheUserInWithTheirGroups() throws Exception {
        WebClient browser = new WebClient(app.url());
        HttpResponse<String> done = signIn(browser);
        assertThat(done.statusCode()).isEqualTo(302);
        assertThat(done.headers().firstValue("location")).contains("/");
        assertThat(provider.lastAuthorize).containsEntry("code_challenge_method", "S256").containsEntry("client_id", "chat-app")
                .containsKey("nonce").containsKey("code_challenge");
        JsonNode me = WebClient.json(browser.get("/api/me"));
        assertThat(me.path("name").asText()).isEqualTo("olivia");
        assertThat(me.path("groups").toString()).isEqualTo("[\"hr\",\"staff\"]");
    }

    @Test
    void loginOptionsAdvertiseTheProvider() throws Exception {
        JsonNode options = WebClient.json(new WebClient(app.url()).get("/auth/options"));
        assertThat(options.path("oidc").path("enabled").asBoolean()).isTrue();
        assertThat(options.path("oidc").path("name").asText()).isEqualTo("Test IdP");
    }

    @Test
    void idTokenForAnotherAudienceIsRejected() throws Exception {
        provider.audience = "some-other-app";
        WebClient browser = new WebClient(app.url());
        HttpResponse<String> done = signIn(browser);
        assertThat(errorOf(done)).startsWith("The ID token could not be verified");
        assertThat(browser.get("/api/me").statusCode()).isEqualTo(401);
    }

    @Test
    void idTokenSignedWithAnUnpublishedKeyIsRejected() throws Exception {
        provider.signingKey = provider.otherKey();
        assertThat(errorOf(signIn(new WebClient(app.url())))).startsWith("The ID token could not be verified");
    }

    @Test
    void callbackInAnotherBrowserIsRejected() throws Exception {
        WebClient victim = new WebClient(app.url());
        HttpResponse<String> start = victim.get("/auth/oidc/start");
        HttpResponse<String> approved = victim.http.send(HttpRequest.newBuilder(
                URI.create(start.headers().firstValue("location").orElseThrow())).build(), HttpResponse.BodyHandlers.ofString());
        WebClient attacker = new WebClient(app.url());
        String callback = approved.headers().firstValue("location").orElseThrow();
        HttpResponse<String> done = attacker.http.send(HttpRequest.newBuilder(URI.create(callback)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(errorOf(done)).contains("does not belong to this browser");
    }

    private static String errorOf(HttpResponse<String> r) {
        String location = r.headers().firstValue("location").orElseThrow();
        assertThat(location).startsWith("/login.html?error=");
        return URLDecoder.decode(location.substring("/login.html?error=".length()), StandardCharsets.UTF_8);
    }
}
