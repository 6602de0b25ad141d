package dev.spillway.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's API through the real gateway: sign-in per role, what each role may do, and the data. */
class ConsoleIntegrationTest {
    @TempDir
    Path data;
    private ConsoleFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new ConsoleFixture(data);
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    private ConsoleClient signedIn(String field, String value) throws Exception {
        ConsoleClient c = new ConsoleClient(fixture.url());
        assertThat(c.signIn(field, value).statusCode()).isEqualTo(200);
        return c;
    }

    @Test
    void pagesCarryTheStrictSecurityHeadersAndTheApiNeedsASession() throws Exception {
        ConsoleClient anonymous = new ConsoleClient(fixture.url());
        HttpResponse<String> page = anonymous.get("");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script src=\"console.js\" defer></script>").doesNotContain("onclick=");
        assertThat(page.headers().firstValue("content-security-policy").orElseThrow())
                .contains("script-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe-inline");
        assertThat(page.headers().firstValue("x-frame-options")).contains("DENY");
        assertThat(anonymous.get("api/keys").statusCode()).isEqualTo(401);
        assertThat(anonymous.get("../ui/api/../../admin/keys").statusCode()).as("no path escapes").isNotEqualTo(200);
        assertThat(anonymous.get("secret.txt").statusCode()).isEqualTo(404);
    }

    @Test
    void theAdminKeySignsInAsAdminWithAnHttpOnlyStrictCookie() throws Exception {
        ConsoleClient c = new ConsoleClient(fixture.url());
        HttpResponse<String> r = c.signIn("key", ConsoleFixture.ADMIN_KEY);

        String cookie = r.headers().firstValue("set-cookie").orElseThrow();
        assertThat(cookie).startsWith("spillway_console=").containsIgnoringCase("HttpOnly").contains("SameSite=Strict")
                .doesNotContain(ConsoleFixture.ADMIN_KEY);
        assertThat(c.json("api/session").path("role").asText()).isEqualTo("admin");
        assertThat(new ConsoleClient(fixture.url()).signIn("key", "wrong-key").statusCode()).isEqualTo(401);
    }

    @Test
    void aLoopOfWrongKeysIsSlowedDownWith429() throws Exception {
        ConsoleClient guesser = new ConsoleClient(fixture.url());
        for (int i = 0; i < 5; i++) assertThat(guesser.signIn("key", "guess-" + i).statusCode()).isEqualTo(401);
        HttpResponse<String> locked = guesser.signIn("key", ConsoleFixture.ADMIN_KEY);
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.headers().firstValue("retry-after")).isPresent();
    }

    @Test
    void theViewerReadsEverythingAndEveryChangeIsRefusedWith403() throws Exception {
        ConsoleClient viewer = signedIn("key", ConsoleFixture.VIEWER_KEY);
        assertThat(viewer.json("api/session").path("role").asText()).isEqualTo("viewer");
        assertThat(viewer.json("api/keys").path("data")).hasSize(2);
        assertThat(viewer.get("api/overview?range=day").statusCode()).isEqualTo(200);
        assertThat(viewer.get("api/backends").statusCode()).isEqualTo(200);

        String id = fixture.billingKey.key().id();
        assertThat(viewer.post("api/keys", "{\"name\":\"x\",\"app\":\"billing\"}").statusCode()).isEqualTo(403);
        assertThat(viewer.post("api/keys/" + id + "/revoke", "{}").statusCode()).isEqualTo(403);
        assertThat(viewer.post("api/keys/" + id + "/rotate", "{}").statusCode()).isEqualTo(403);
        assertThat(viewer.post("api/backends/ptu/drain", "{}").statusCode()).isEqualTo(403);
        assertThat(fixture.chat(fixture.billingKey.secret(), "still works").statusCode()).isEqualTo(200);
    }

    @Test
    void changesWithoutTheCsrfTokenOrFromAnotherSiteAreRefused() throws Exception {
        ConsoleClient admin = signedIn("key", ConsoleFixture.ADMIN_KEY);
        assertThat(admin.postWithoutToken("api/keys", "{\"name\":\"x\",\"app\":\"billing\"}").statusCode()).isEqualTo(403);
        assertThat(admin.postWithoutToken("api/backends/ptu/drain", "{}").statusCode()).isEqualTo(403);
        assertThat(admin.json("api/keys").path("data")).hasSize(2);
    }

    @Test
    void theAdminCreatesAKeyThatWorksAndRevokesItSoItStops() throws Exception {
        ConsoleClient admin = signedIn("key", ConsoleFixture.ADMIN_KEY);
        HttpResponse<String> created = admin.post("api/keys",
                "{\"name\":\"reports\",\"app\":\"billing\",\"limits\":{\"tokens-per-minute\":100000}}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = Json.MAPPER.readTree(created.body());
        String secret = body.path("secret").asText();
        assertThat(fixture.chat(secret, "hi").statusCode()).isEqualTo(200);

        HttpResponse<String> revoked = admin.post("api/keys/" + body.path("key").path("id").asText() + "/revoke", "{}");
        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(revoked.body()).has("revoked-at")).isTrue();
        assertThat(eventually(() -> fixture.chat(secret, "hi").statusCode(), s -> s == 401)).isEqualTo(401);
    }

    @Test
    void anAppOwnerSeesAndManagesOnlyTheirOwnApps() throws Exception {
        ConsoleClient alice = signedIn("token", fixture.token("alice", List.of()));
        assertThat(alice.json("api/session").path("role").asText()).isEqualTo("app-owner");
        JsonNode keys = alice.json("api/keys").path("data");
        assertThat(keys).extracting(k -> k.path("app").asText()).containsExactly("billing");

        assertThat(alice.post("api/keys/" + fixture.searchKey.key().id() + "/revoke", "{}").statusCode()).isEqualTo(404);
        assertThat(alice.post("api/keys", "{\"name\":\"mine\",\"app\":\"search\"}").statusCode()).isEqualTo(403);
        HttpResponse<String> own = alice.post("api/keys", "{\"name\":\"mine\",\"app\":\"billing\",\"owner\":\"mallory\"}");
        assertThat(own.statusCode()).isEqualTo(201);
        assertThat(Json.MAPPER.readTree(own.body()).path("key").path("owner").asText()).isEqualTo("alice");
        assertThat(alice.get("api/overview").statusCode()).isEqualTo(403);
        assertThat(alice.get("api/backends").statusCode()).isEqualTo(403);
        assertThat(alice.get("api/audit").statusCode()).isEqualTo(403);

        fixture.traffic();
        String month = YearMonth.now(ZoneOffset.UTC).toString();
        // the ledger's spool drains to the database just after the responses
        JsonNode usage = eventually(() -> alice.json("api/usage?by=app&period=" + month),
                u -> u.path("total").path("requests").asLong() == 8);
        assertThat(usage.path("rows")).extracting(r -> r.path("key").asText()).containsExactly("billing");
        assertThat(usage.path("total").path("requests").asLong()).isEqualTo(8);
        assertThat(alice.get("api/usage?by=team&period=" + month).statusCode()).isEqualTo(403);
    }

    @Test
    void tokenRolesMakeAdminsAndViewers() throws Exception {
        assertThat(signedIn("token", fixture.token("ops-1", List.of("spillway.admin"))).json("api/session")
                .path("role").asText()).isEqualTo("admin");
        assertThat(signedIn("token", fixture.token("ops-2", List.of("spillway.viewer"))).json("api/session")
                .path("role").asText()).isEqualTo("viewer");
        assertThat(new ConsoleClient(fixture.url()).signIn("token", "not.a.jwt").statusCode()).isEqualTo(401);
    }

    @Test
    void theOverviewCountsRequestsSpilloverAnd429sGivenAndReceived() throws Exception {
        fixture.traffic();
        ConsoleClient viewer = signedIn("key", ConsoleFixture.VIEWER_KEY);
        JsonNode overview = eventually(() -> viewer.json("api/overview?range=hour"),
                o -> o.path("utilization").has("ptu") && o.path("totals").path("throttled").asLong() >= 1);

        JsonNode totals = overview.path("totals");
        assertThat(totals.path("requests").asLong()).isEqualTo(11);
        assertThat(totals.path("rejected").asLong()).as("search's third call, refused by its 2 requests/min").isEqualTo(1);
        assertThat(totals.path("throttled").asLong()).as("PTU's 429 (then cooling)").isGreaterThanOrEqualTo(1);
        assertThat(totals.path("tokens").asLong()).isEqualTo(10 * 8);
        // the two calls PTU refused, and any made while it cooled down after its 429
        long spilled = totals.path("spilled-tokens").asLong();
        assertThat(spilled).isEqualTo(fixture.payg.requests.get() * 8L).isGreaterThanOrEqualTo(2 * 8);
        assertThat(totals.path("spilled-share").asDouble()).isEqualTo(spilled / 80.0);
        assertThat(overview.path("points")).hasSize(60);
        List<Double> utilization = new ArrayList<>();
        overview.path("utilization").path("ptu").forEach(v -> { if (!v.isNull()) utilization.add(v.asDouble()); });
        assertThat(utilization).isNotEmpty().allSatisfy(u -> assertThat(u).isEqualTo(62.5));
        assertThat(viewer.json("api/overview?range=30d").path("totals").path("requests").asLong()).isEqualTo(11);
        assertThat(viewer.get("api/overview?range=week").statusCode()).isEqualTo(400);
    }

    @Test
    void keysShowTheirUseAgainstTheirLimits() throws Exception {
        fixture.traffic();
        JsonNode keys = signedIn("key", ConsoleFixture.ADMIN_KEY).json("api/keys").path("data");
        JsonNode billing = null;
        for (JsonNode k : keys) if (k.path("app").asText().equals("billing")) billing = k;
        assertThat(billing.path("usage").path("tokens-this-month").asLong()).isEqualTo(64);
        assertThat(billing.path("limits").path("tokens-per-month").asLong()).isEqualTo(5_000_000);
        assertThat(billing.path("usage").path("cost-this-month-usd").asText()).isNotEmpty();
    }

    @Test
    void drainingTheProvisionedBackendSendsTrafficToPayAsYouGoUntilUndrained() throws Exception {
        ConsoleClient admin = signedIn("key", ConsoleFixture.ADMIN_KEY);
        HttpResponse<String> drained = admin.post("api/backends/ptu/drain", "{}");
        assertThat(drained.statusCode()).isEqualTo(200);
        assertThat(drained.body()).contains("\"drained\":true");
        int ptuBefore = fixture.ptu.requests.get();
        assertThat(fixture.chat(fixture.billingKey.secret(), "x").headers().firstValue("x-backend")).contains("payg");
        assertThat(fixture.ptu.requests.get()).isEqualTo(ptuBefore);

        assertThat(admin.post("api/backends/ptu/undrain", "{}").statusCode()).isEqualTo(200);
        assertThat(fixture.chat(fixture.billingKey.secret(), "x").headers().firstValue("x-backend")).contains("ptu");
        assertThat(admin.post("api/backends/nope/drain", "{}").statusCode()).isEqualTo(404);
    }

    @Test
    void auditFindsRecordsShowsTheirRedactedBodiesAndVerifiesTheChain() throws Exception {
        HttpResponse<String> call = fixture.chat(fixture.billingKey.secret(), "audited call from jane@example.com");
        String requestId = call.headers().firstValue("x-spillway-request-id").orElseThrow();
        ConsoleClient viewer = signedIn("key", ConsoleFixture.VIEWER_KEY);

        JsonNode byId = eventually(() -> viewer.json("api/audit?request-id=" + requestId), r -> r.path("data").size() == 1);
        assertThat(byId.path("data").get(0).path("app").asText()).isEqualTo("billing");
        assertThat(viewer.json("api/audit?app=billing").path("data")).isNotEmpty();
        assertThat(viewer.json("api/audit?app=nobody").path("data")).isEmpty();
        JsonNode shown = eventually(() -> viewer.json("api/audit/records/" + requestId), r -> r.has("response_body"));
        assertThat(shown.path("request_body").asText()).contains("audited call from [REDACTED:")
                .doesNotContain("jane@example.com");
        assertThat(shown.path("response_body").asText()).contains("hi from ptu");
        assertThat(viewer.json("api/audit/verify").path("intact").asBoolean()).isTrue();
        assertThat(viewer.get("api/audit?from=yesterday").statusCode()).isEqualTo(400);
    }

    /** Polls {@code read} for up to 10 s until {@code done} holds (records and samples land asynchronously). */
    static <T> T eventually(Callable<T> read, java.util.function.Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        T last = read.call();
        while (!done.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            last = read.call();
        }
        return last;
    }
}
