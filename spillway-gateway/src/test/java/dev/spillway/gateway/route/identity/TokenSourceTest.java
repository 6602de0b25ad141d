package dev.spillway.gateway.route.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.Secret;
import dev.spillway.gateway.config.OAuthConfig;
import dev.spillway.gateway.testkit.FakeBackend;
import dev.spillway.gateway.testkit.FakeClock;
import dev.spillway.gateway.testkit.GatewayHarness;
import dev.spillway.gateway.server.GatewayServer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OAuth2 client-credentials tokens against a local token endpoint, on a fake clock. */
class TokenSourceTest {
    private final Vertx vertx = Vertx.vertx();
    private final FakeClock clock = new FakeClock();
    private final AtomicInteger issued = new AtomicInteger();
    private final List<String> forms = new CopyOnWriteArrayList<>();
    private final List<Long> scheduled = new ArrayList<>();
    private final List<Promise<Void>> timers = new ArrayList<>();
    private HttpServer endpoint;
    private HttpClient client;
    private TokenSource tokens;

    @BeforeEach
    void start() throws Exception {
        endpoint = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            forms.add(body.toString());
            req.response().putHeader("content-type", "application/json")
                    .end("{\"token_type\":\"Bearer\",\"expires_in\":3600,\"access_token\":\"tok-" + issued.incrementAndGet() + "\"}");
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        client = vertx.createHttpClient();
        tokens = new TokenSource(config("http://127.0.0.1:" + endpoint.actualPort() + "/tenant-1/oauth2/v2.0/token"),
                client, clock, millis -> {
                    scheduled.add(millis);
                    Promise<Void> p = Promise.promise();
                    timers.add(p);
                    return p.future();
                });
    }

    private static OAuthConfig config(String url) {
        return new OAuthConfig("tenant-1", "client-1", Secret.literal("s3cret&x"), OAuthConfig.COGNITIVE_SERVICES_SCOPE,
                URI.create(url), Duration.ofMinutes(5));
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static String await(Future<String> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** The background fetch runs on the token endpoint's real I/O; poll until its token is served. */
    private boolean eventuallyServed(String expected) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < end) {
            if (expected.equals(await(tokens.token()))) return true;
            Thread.sleep(10);
        }
        return false;
    }

    @Test
    void theFirstCallFetchesATokenAndLaterCallsUseTheCache() throws Exception {
        assertThat(await(tokens.token())).isEqualTo("tok-1");
        assertThat(await(tokens.token())).isEqualTo("tok-1");
        assertThat(issued.get()).isEqualTo(1);
        assertThat(forms.get(0)).contains("grant_type=client_credentials", "client_id=client-1",
                "client_secret=s3cret%26x", "scope=https%3A%2F%2Fcognitiveservices.azure.com%2F.default");
    }

    @Test
    void concurrentFirstCallsShareOneFetch() throws Exception {
        Future<String> a = tokens.token();
        Future<String> b = tokens.token();
        assertThat(await(a)).isEqualTo(await(b));
        assertThat(issued.get()).isEqualTo(1);
    }

    @Test
    void aRefreshIsScheduledFiveMinutesBeforeExpiryAndRunsInTheBackground() throws Exception {
        await(tokens.token());
        assertThat(scheduled).containsExactly(Duration.ofMinutes(55).toMillis());
        clock.advance(Duration.ofMinutes(55));
        timers.get(0).complete();
        assertThat(eventuallyServed("tok-2")).isTrue();
        assertThat(issued.get()).isEqualTo(2);
    }

    @Test
    void pastItsRefreshTimeTheTokenIsStillServedWhileOneFetchRenewsIt() throws Exception {
        await(tokens.token());
        clock.advance(Duration.ofMinutes(56));
        assertThat(tokens.token().result()).as("served at once, without waiting").isEqualTo("tok-1");
        assertThat(eventuallyServed("tok-2")).isTrue();
        assertThat(issued.get()).as("one background fetch, however often asked").isEqualTo(2);
    }

    @Test
    void anExpiredTokenIsNeverServed() throws Exception {
        await(tokens.token());
        clock.advance(Duration.ofMinutes(61));
        assertThat(await(tokens.token())).isEqualTo("tok-2");
    }

    @Test
    void aGatewayBackendWithOAuth2GetsTheBearerToken() throws Exception {
        GatewayHarness h = new GatewayHarness();
        try {
            FakeBackend b = h.backend("b");
            b.expectedBearer = "tok-1";
            GatewayServer g = h.gateway("gateway:\n  port: 0\n" + GatewayHarness.KEYS + """
                      backends:
                        - name: b
                          url: "%s"
                          deployment: d
                          auth: oauth2
                          oauth: { client-id: c, client-secret: s, token-url: "http://127.0.0.1:%d/t" }
                          probe: { kind: none }
                      deployments: [ { name: gpt-4o, backends: [b] } ]
                    """.formatted(b.url(), endpoint.actualPort()));
            assertThat(h.chat(g, false).statusCode()).isEqualTo(200);
            assertThat(h.chat(g, false).statusCode()).isEqualTo(200);
            assertThat(issued.get()).isEqualTo(1);
        } finally {
            h.close();
        }
    }
}
