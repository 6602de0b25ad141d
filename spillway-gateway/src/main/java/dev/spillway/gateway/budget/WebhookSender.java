package dev.spillway.gateway.budget;

import dev.spillway.gateway.safety.OutboundHosts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Posts one warning to one webhook and says how it went. The host is checked against
 * {@code safety.outbound-hosts} again before each post (the URL is a secret that can change
 * without a restart); redirects are not followed. Blocking: call from worker threads.
 * Thread-safe; one per gateway.
 */
final class WebhookSender {
    /** What one attempt came to; {@code retry} false when trying again cannot help. */
    record Result(boolean delivered, boolean retry, String detail) {}

    private final HttpClient client;
    private final List<String> outboundHosts;
    private final Duration timeout;

    WebhookSender(List<String> outboundHosts, Duration timeout) {
        this.outboundHosts = List.copyOf(outboundHosts);
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    Result send(BudgetAlertsConfig.Webhook webhook, BudgetAlert alert) throws InterruptedException {
        URI url;
        try {
            url = URI.create(webhook.url().value());
        } catch (RuntimeException e) {
            return new Result(false, true, "url unreadable: " + e.getMessage());
        }
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
        if (!outboundHosts.isEmpty() && !OutboundHosts.permitted(outboundHosts, host)) {
            return new Result(false, false, "host '" + host + "' is not in safety.outbound-hosts");
        }
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("content-type", "application/json")
                .header("idempotency-key", alert.id())
                .header("user-agent", "spillway-budget-alerts")
                .POST(HttpRequest.BodyPublishers.ofByteArray(webhook.format().payload(alert))).build();
        try {
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 == 2) return new Result(true, false, "HTTP " + status);
            // A 4xx other than 408/429 is a wrong URL or a refused payload: retrying sends the same.
            boolean retry = status >= 500 || status == 408 || status == 429;
            return new Result(false, retry, "HTTP " + status);
        } catch (IOException e) {
            return new Result(false, true, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
