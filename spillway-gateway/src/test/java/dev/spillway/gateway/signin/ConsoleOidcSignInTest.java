package dev.spillway.gateway.signin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.net.Ports;
import dev.spillway.core.testkit.FakeOidcProvider;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.console.ConsoleConfig;
import dev.spillway.gateway.server.GatewayServer;
import dev.spillway.gateway.testkit.GatewayHarness;
import dev.spillway.gateway.testkit.Yaml;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** "Sign in with ..." on the console, through the real gateway and a local OpenID provider. */
@Timeout(60)
class ConsoleOidcSignInTest {
    private static final String ADMIN_KEY = "admin-key-0123456789abcdef0123456789";
    private final GatewayHarness h = new GatewayHarness();
    private FakeOidcProvider provider;
    private GatewayServer gateway;

    @BeforeEach
    void start() throws Exception {
        provider = new FakeOidcProvider(Clock.systemUTC());
        gateway = gateway("");
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
        provider.close();
    }

    private GatewayServer gateway(String safety) throws Exception {
        int port = Ports.freePort("127.0.0.1");
        return h.gateway(config(port, safety));
    }

    private String config(int port, String safety) {
        return """
                gateway:
                  port: %d
                  admin: { key: "%s" }
                %s  backends: [ { name: b, url: "http://127.0.0.1:9", deployment: gpt-4o, probe: { kind: none } } ]
                  deployments: [ { name: gpt-4o, backends: [b] } ]
                  console:
                    sign-in:
                      admin-roles: [Spillway.Admin]
                      viewer-roles: [Spillway.Reader]
                      oidc:
                        issuer: "%s"
                        client-id: %s
                        client-secret: %s
                        redirect-uri: "http://127.0.0.1:%d/ui/oidc/callback"
                        display-name: Contoso
                %s""".formatted(port, ADMIN_KEY, GatewayHarness.KEYS, provider.issuer(), FakeOidcProvider.CLIENT_ID,
                FakeOidcProvider.CLIENT_SECRET, port, safety);
    }

    /** A browser: keeps cookies, follows no redirects. */
    private static HttpClient browser() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private HttpResponse<String> get(HttpClient browser, String url) throws Exception {
        String absolute = url.startsWith("http") ? url : gateway.baseUrl() + url;
        return browser.send(HttpRequest.newBuilder(URI.create(absolute)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Start → provider (approves at once) → the callback URL it redirects back to. */
    private String approvedCallback(HttpClient browser) throws Exception {
        HttpResponse<String> start = get(browser, "/ui/oidc/start");
        assertThat(start.statusCode()).as(start.body()).isEqualTo(302);
        HttpResponse<String> approved = get(browser, start.headers().firstValue("location").orElseThrow());
        return approved.headers().firstValue("location").orElseThrow();
    }

    private HttpResponse<String> signIn(HttpClient browser) throws Exception {
        return get(browser, approvedCallback(browser));
    }

    private JsonNode session(HttpClient browser) throws Exception {
        HttpResponse<String> r = get(browser, "/ui/api/session");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    private static String refusal(HttpResponse<String> r) {
        assertThat(r.statusCode()).isEqualTo(302);
        String location = r.headers().firstValue("location").orElseThrow();
        assertThat(location).startsWith("/ui/login.html?error=");
        return URLDecoder.decode(location.substring("/ui/login.html?error=".length()), StandardCharsets.UTF_8);
    }

    @Test
    void theRedirectRoundTripSignsInWithTheRoleMappedFromTheIdToken() throws Exception {
        provider.claims = Map.of("oid", "oid-ada", "roles", List.of("Spillway.Admin"));
        HttpClient ada = browser();
        HttpResponse<String> start = get(ada, "/ui/oidc/start");
        assertThat(start.headers().allValues("set-cookie")).anySatisfy(c -> assertThat(c)
                .startsWith(WebGuard.LOGIN_STATE_COOKIE + "=").containsIgnoringCase("HttpOnly").contains("SameSite=Lax")
                .contains("Path=/ui/oidc/"));
        assertThat(start.headers().firstValue("content-security-policy")).isPresent();
        HttpResponse<String> approved = get(ada, start.headers().firstValue("location").orElseThrow());
        assertThat(provider.lastAuthorize).containsEntry("code_challenge_method", "S256")
                .containsEntry("client_id", FakeOidcProvider.CLIENT_ID).containsKeys("state", "nonce", "code_challenge");
        HttpResponse<String> done = get(ada, approved.headers().firstValue("location").orElseThrow());
        assertThat(done.statusCode()).isEqualTo(302);
        assertThat(done.headers().firstValue("location")).contains("/ui/");
        assertThat(done.headers().allValues("set-cookie")).anySatisfy(c -> assertThat(c)
                .startsWith(WebGuard.COOKIE + "=").containsIgnoringCase("HttpOnly").contains("SameSite=Strict"));
        JsonNode me = session(ada);
        assertThat(me.path("role").asText()).isEqualTo("admin");
        assertThat(me.path("subject").asText()).isEqualTo("oid-ada");

        provider.claims = Map.of("roles", "Spillway.Reader");
        HttpClient vic = browser();
        signIn(vic);
        assertThat(session(vic).path("role").asText()).isEqualTo("viewer");
        assertThat(session(vic).path("subject").asText()).as("sub without an oid claim").isEqualTo("u-42");
    }

    @Test
    void aCallbackWithAnotherStateIsRefused() throws Exception {
        HttpClient browser = browser();
        String callback = approvedCallback(browser);
        String forged = callback.replaceFirst("state=[^&]+", "state=forged-state");
        assertThat(refusal(get(browser, forged))).contains("does not belong to this browser");
        assertThat(get(browser, "/ui/api/session").statusCode()).isEqualTo(401);

        HttpClient attacker = browser();
        String victims = approvedCallback(browser());
        assertThat(refusal(get(attacker, victims))).as("a callback finished in another browser")
                .contains("does not belong to this browser");
    }

    @Test
    void anIdTokenWithAnotherNonceIsRefused() throws Exception {
        provider.nonce = Optional.of("a-nonce-from-another-login");
        HttpClient browser = browser();
        assertThat(refusal(signIn(browser))).startsWith("The ID token could not be verified");
        assertThat(get(browser, "/ui/api/session").statusCode()).isEqualTo(401);
    }

    @Test
    void anIdTokenForAnotherAudienceIsRefused() throws Exception {
        provider.audience = "some-other-app";
        assertThat(refusal(signIn(browser()))).startsWith("The ID token could not be verified");
    }

    @Test
    void anExpiredIdTokenIsRefused() throws Exception {
        provider.lifetime = Duration.ofMinutes(-5);
        HttpClient browser = browser();
        assertThat(refusal(signIn(browser))).startsWith("The ID token could not be verified").containsIgnoringCase("expired");
        assertThat(get(browser, "/ui/api/session").statusCode()).isEqualTo(401);
    }

    @Test
    void anIdTokenSignedWithAnUnpublishedKeyIsRefused() throws Exception {
        provider.signingKey = provider.otherKey();
        assertThat(refusal(signIn(browser()))).startsWith("The ID token could not be verified");
    }

    @Test
    void aUserWithNoMappedRoleGetsOnlyWhatAnAppOwnerGets() throws Exception {
        createKey("{\"app\":\"hr-bot\",\"owner\":\"oid-olivia\"}");
        createKey("{\"app\":\"finance-bot\"}");
        provider.claims = Map.of("oid", "oid-olivia", "roles", List.of("Some.Other.Role"));
        HttpClient olivia = browser();
        signIn(olivia);
        assertThat(session(olivia).path("role").asText()).isEqualTo("app-owner");
        assertThat(session(olivia).path("subject").asText()).isEqualTo("oid-olivia");
        HttpResponse<String> keys = get(olivia, "/ui/api/keys");
        assertThat(keys.statusCode()).as(keys.body()).isEqualTo(200);
        assertThat(keys.body()).contains("hr-bot").doesNotContain("finance-bot");
        for (String operatorPage : List.of("/ui/api/backends", "/ui/api/audit", "/ui/api/overview")) {
            HttpResponse<String> r = get(olivia, operatorPage);
            assertThat(r.statusCode()).as(operatorPage + " " + r.body()).isEqualTo(403);
        }
    }

    @Test
    void theSignInPageIsToldAboutTheProvider() throws Exception {
        JsonNode options = Json.MAPPER.readTree(get(browser(), "/ui/api/sign-in").body());
        assertThat(options.path("oidc").path("name").asText()).isEqualTo("Contoso");
        assertThat(options.path("oidc").path("start").asText()).isEqualTo("/ui/oidc/start");
    }

    @Test
    void discoveredEndpointsOutsideTheOutboundHostsAreNotCalled() throws Exception {
        GatewayServer guarded = gateway("  safety: { outbound-hosts: [\"127.0.0.1\"] }\n");
        provider.endpointHost = "localhost";
        HttpClient browser = browser();
        HttpResponse<String> start = browser.send(HttpRequest.newBuilder(URI.create(guarded.baseUrl() + "/ui/oidc/start"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refusal(start)).contains("token_endpoint host 'localhost' is not an allowed outbound host");

        assertThatThrownBy(() -> Yaml.gateway(config(1, "  safety: { outbound-hosts: [\"login.example\"] }\n")))
                .hasMessageContaining("console.sign-in.oidc.issuer: host '127.0.0.1' is not in safety.outbound-hosts");
    }

    @Test
    void theOidcSectionIsCheckedWhenTheConfigIsRead() {
        ConfigNode root = ConfigLoader.parse("""
                console:
                  sign-in:
                    oidc: { issuer: "https://login.example/t/v2.0", client-id: c,
                            redirect-uri: "https://gw.example/auth/callback", colour: red }
                """, Map.of());
        ConsoleConfig.from(root.child("console"));
        assertThatThrownBy(root::throwIfInvalid)
                .hasMessageContaining("console.sign-in.oidc.redirect-uri: must end in /ui/oidc/callback")
                .hasMessageContaining("console.sign-in.oidc.colour: unknown key");

        ConfigNode ok = ConfigLoader.parse("""
                console:
                  sign-in:
                    oidc: { issuer: "https://login.example/t/v2.0", client-id: c, client-secret: "${env:OIDC_SECRET}",
                            redirect-uri: "https://gw.example/ui/oidc/callback", roles-claim: groups }
                """, Map.of("OIDC_SECRET", "s3cret"));
        OidcSignInConfig oidc = ConsoleConfig.from(ok.child("console")).signIn().oidc().orElseThrow();
        ok.throwIfInvalid();
        assertThat(oidc.rolesClaim()).isEqualTo("groups");
        assertThat(oidc.userClaim()).isEqualTo("oid");
        assertThat(oidc.provider().clientSecret().orElseThrow().value()).isEqualTo("s3cret");
        assertThat(oidc.provider().scopes()).containsExactly("openid", "profile", "email");
    }

    private void createKey(String json) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(gateway.baseUrl() + "/admin/keys")).header("api-key", ADMIN_KEY)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
}
