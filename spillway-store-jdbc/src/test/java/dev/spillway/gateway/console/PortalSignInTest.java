package dev.spillway.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The developer portal's signed-in app-owner view on the console's sign-in (one session for
 * {@code /ui} and {@code /portal}): an app owner signed in with a token sees only the apps whose
 * keys name them as owner, with those apps' keys, limits and usage; on the console's fixture.
 */
class PortalSignInTest {
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

    private ConsoleClient portal() {
        return new ConsoleClient(fixture.gateway.baseUrl() + "/portal/");
    }

    @Test
    void anAppOwnerSignedInSeesOnlyTheirAppsKeysLimitsAndUsage() throws Exception {
        fixture.traffic();
        ConsoleClient alice = portal();
        assertThat(alice.signIn("token", fixture.token("alice", List.of())).statusCode()).isEqualTo(200);
        JsonNode me = null;
        for (int i = 0; i < 100; i++) { // the ledger rows land once the spool drains
            me = alice.json("api/me");
            if (me.at("/apps/0/usage/requests").asLong() >= 8) break;
            Thread.sleep(50);
        }
        assertThat(me.get("via").asText()).isEqualTo("session");
        assertThat(me.get("role").asText()).isEqualTo("app-owner");
        assertThat(me.get("apps")).extracting(a -> a.get("app").asText()).containsExactly("billing");
        JsonNode billing = me.get("apps").get(0);
        assertThat(billing.get("keys")).extracting(k -> k.get("name").asText()).containsExactly("billing-prod");
        assertThat(billing.get("keys").toString()).doesNotContain(fixture.billingKey.secret());
        assertThat(billing.at("/keys/0/limits/budget-per-month-usd").asText()).isEqualTo("50");
        assertThat(billing.at("/usage/requests").asLong()).isEqualTo(8);
        assertThat(billing.at("/usage/budget_spent_usd").asText()).isNotEqualTo("0");

        ConsoleClient bob = portal();
        assertThat(bob.signIn("token", fixture.token("bob", List.of())).statusCode()).isEqualTo(200);
        assertThat(bob.json("api/me").get("apps")).extracting(a -> a.get("app").asText()).containsExactly("search");
    }

    @Test
    void oneSessionServesTheConsoleAndThePortalAndSignOutEndsBoth() throws Exception {
        ConsoleClient browser = new ConsoleClient(fixture.gateway.baseUrl() + "/");
        HttpResponse<String> signIn = browser.send("POST", "ui/api/session",
                "{\"token\":\"" + fixture.token("alice", List.of()) + "\"}", false);
        assertThat(signIn.statusCode()).as("signed in at the console").isEqualTo(200);
        browser.csrf = Json.MAPPER.readTree(signIn.body()).path("csrf-token").asText();
        assertThat(browser.json("portal/api/me").get("subject").asText()).isEqualTo("alice");
        assertThat(portal().get("api/me").statusCode()).as("another browser has no session and no key").isEqualTo(401);
        assertThat(browser.send("DELETE", "portal/api/session", null, true).statusCode()).isEqualTo(204);
        assertThat(browser.get("ui/api/session").statusCode()).as("signed out of the console too").isEqualTo(401);
    }

    @Test
    void anAdminSignedInSeesEveryApp() throws Exception {
        ConsoleClient admin = portal();
        assertThat(admin.signIn("key", ConsoleFixture.ADMIN_KEY).statusCode()).isEqualTo(200);
        JsonNode me = admin.json("api/me");
        assertThat(me.get("role").asText()).isEqualTo("admin");
        assertThat(me.get("apps")).extracting(a -> a.get("app").asText()).containsExactly("billing", "search");
    }
}
