package dev.spillway.simulator.limits;

import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Azure's standard-deployment limits: tokens per minute over a rolling 60 s window and requests per
 * rolling 10 s window (requests-per-minute / 6, at least 1). The admission estimate is charged when
 * the request arrives and not corrected afterwards, as Azure documents. Thread-safe (one lock).
 */
final class PayAsYouGoLimiter implements DeploymentLimiter {
    private static final long TOKEN_WINDOW_MILLIS = 60_000;
    private static final long REQUEST_WINDOW_MILLIS = 10_000;

    private final long tokensPerMinute;
    private final long requestsPer10s;
    private final InstantSource clock;
    private final SlidingWindow tokens = new SlidingWindow(TOKEN_WINDOW_MILLIS);
    private final SlidingWindow requests = new SlidingWindow(REQUEST_WINDOW_MILLIS);

    PayAsYouGoLimiter(long tokensPerMinute, long requestsPerMinute, InstantSource clock) {
        this.tokensPerMinute = tokensPerMinute;
        this.requestsPer10s = Math.max(1, requestsPerMinute / 6);
        this.clock = clock;
    }

    @Override
    public synchronized Admission admit(long estimatedTokens) {
        long now = clock.millis();
        long cost = Math.min(estimatedTokens, tokensPerMinute); // a request bigger than the quota waits for an empty window
        long requestWait = requests.millisUntilFree(now, 1, requestsPer10s);
        if (requestWait > 0) return Admission.refused(requestWait, "call", headers(now));
        long tokenWait = tokens.millisUntilFree(now, cost, tokensPerMinute);
        if (tokenWait > 0) return Admission.refused(tokenWait, "token", headers(now));
        requests.add(now, 1);
        tokens.add(now, cost);
        return Admission.admitted(cost, headers(now));
    }

    @Override
    public void settle(Admission admission, long actualTokens) {
        // Azure charges the estimate made on arrival; usage reported later does not refund it.
    }

    @Override
    public synchronized Map<String, String> currentHeaders() {
        return headers(clock.millis());
    }

    private Map<String, String> headers(long now) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("x-ratelimit-limit-requests", Long.toString(requestsPer10s));
        h.put("x-ratelimit-remaining-requests", Long.toString(Math.max(0, requestsPer10s - requests.used(now))));
        h.put("x-ratelimit-reset-requests", seconds(requests.millisUntilReset(now)));
        h.put("x-ratelimit-limit-tokens", Long.toString(tokensPerMinute));
        h.put("x-ratelimit-remaining-tokens", Long.toString(Math.max(0, tokensPerMinute - tokens.used(now))));
        h.put("x-ratelimit-reset-tokens", seconds(tokens.millisUntilReset(now)));
        return h;
    }

    private static String seconds(long millis) {
        return Long.toString((millis + 999) / 1000);
    }
}
