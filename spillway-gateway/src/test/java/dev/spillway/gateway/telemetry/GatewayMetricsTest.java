package dev.spillway.gateway.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {
    private static TelemetryConfig config(boolean userLabel, int maxApps) {
        TelemetryConfig d = TelemetryConfig.defaults();
        return new TelemetryConfig(true, userLabel, maxApps, false, 0, Optional.empty(), d.otlpProtocol(), d.serviceName(), Optional.empty());
    }

    private static RequestSample sample(String app, String user, String deployment, int status) {
        return new RequestSample(app, user, deployment, "ptu-east", status, 100, 20, 10,
                Optional.of(Duration.ofMillis(30)), Duration.ofMillis(400), true);
    }

    private final GatewayMetrics metrics = new GatewayMetrics(config(false, 2), Set.of("gpt-4o"), Set.of("ptu-east"));

    @Test
    void requestsAndTokensAreCountedByAppDeploymentAndBackend() {
        metrics.requestCompleted(sample("billing", "u1", "gpt-4o", 200));
        metrics.requestCompleted(sample("billing", "u2", "gpt-4o", 200));
        metrics.requestCompleted(sample("billing", "u2", "gpt-4o", 503));
        String text = metrics.scrape();
        assertThat(text).contains(
                "spillway_requests_total{app=\"billing\",backend=\"ptu-east\",deployment=\"gpt-4o\",status=\"2xx\"} 2.0",
                "spillway_requests_total{app=\"billing\",backend=\"ptu-east\",deployment=\"gpt-4o\",status=\"5xx\"} 1.0",
                "spillway_tokens_total{app=\"billing\",backend=\"ptu-east\",deployment=\"gpt-4o\",type=\"prompt\"} 300.0",
                "spillway_tokens_total{app=\"billing\",backend=\"ptu-east\",deployment=\"gpt-4o\",type=\"completion\"} 60.0");
    }

    @Test
    void latencyAndTimeToFirstTokenAreHistograms() {
        metrics.requestCompleted(sample("billing", "u1", "gpt-4o", 200));
        assertThat(metrics.scrape()).contains(
                "spillway_time_to_first_token_seconds_bucket{app=\"billing\",deployment=\"gpt-4o\",le=\"0.05\"} 1",
                "spillway_request_duration_seconds_bucket{app=\"billing\",deployment=\"gpt-4o\",le=\"0.25\"} 0",
                "spillway_request_duration_seconds_bucket{app=\"billing\",deployment=\"gpt-4o\",le=\"0.5\"} 1");
    }

    @Test
    void labelCardinalityStaysBounded() {
        metrics.requestCompleted(sample("a", "u1", "gpt-4o", 200));
        metrics.requestCompleted(sample("b", "u2", "gpt-4o", 200));
        metrics.requestCompleted(sample("c", "u3", "made-up-deployment", 200));
        String text = metrics.scrape();
        assertThat(text).contains("app=\"other\"", "deployment=\"other\"").doesNotContain("app=\"c\"", "made-up", "u1");
    }

    @Test
    void userLabelAppearsOnlyWhenConfigured() {
        GatewayMetrics withUsers = new GatewayMetrics(config(true, 10), Set.of("gpt-4o"), Set.of("ptu-east"));
        withUsers.requestCompleted(sample("a", "alice", "gpt-4o", 200));
        assertThat(withUsers.scrape()).contains("user=\"alice\"");
    }

    @Test
    void safetyFindingsAreCountedPerAppCheckRuleAndAction() {
        metrics.safetyFinding("billing", "output", "secrets", "jwt", "redact");
        metrics.safetyFinding("billing", "output", "secrets", "jwt", "redact");
        metrics.safetyFinding("billing", "input", "injection", "override", "block");
        assertThat(metrics.scrape()).contains(
                "spillway_safety_findings_total{action=\"redact\",app=\"billing\",check=\"secrets\",rule=\"jwt\",side=\"output\"} 2.0",
                "spillway_safety_findings_total{action=\"block\",app=\"billing\",check=\"injection\",rule=\"override\","
                        + "side=\"input\"} 1.0");
    }

    @Test
    void rateLimitsBreakerUtilizationAndQuotaAreExposed() {
        metrics.rateLimitIssued("billing", "tokens-per-minute");
        metrics.rateLimitReceived("ptu-east");
        metrics.breakerState("ptu-east", BackendStateListener.BreakerState.OPEN);
        metrics.utilization("ptu-east", 0.85);
        metrics.remainingQuota("billing", "tokens", 1234);
        assertThat(metrics.scrape()).contains(
                "spillway_rate_limited_issued_total{app=\"billing\",limit=\"tokens-per-minute\"} 1.0",
                "spillway_rate_limited_received_total{backend=\"ptu-east\"} 1.0",
                "spillway_backend_breaker_state{backend=\"ptu-east\",state=\"open\"} 1.0",
                "spillway_backend_breaker_state{backend=\"ptu-east\",state=\"closed\"} 0.0",
                "spillway_backend_utilization{backend=\"ptu-east\"} 0.85",
                "spillway_quota_remaining{kind=\"tokens\",scope=\"billing\"} 1234.0");
    }

    @Test
    void metricsEndpointServesThePrometheusText() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            metrics.requestCompleted(sample("billing", "u1", "gpt-4o", 200));
            HttpServer server = vertx.createHttpServer().requestHandler(new MetricsEndpoint(vertx, metrics, Optional.empty()))
                    .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
            String[] contentType = new String[1];
            String body = vertx.createHttpClient()
                    .request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/metrics")
                    .compose(r -> r.send().compose(resp -> {
                        contentType[0] = resp.getHeader("content-type");
                        return resp.body();
                    }))
                    .await(10, TimeUnit.SECONDS).toString();
            assertThat(contentType[0]).startsWith("text/plain");
            assertThat(body).contains("spillway_requests_total{");
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
