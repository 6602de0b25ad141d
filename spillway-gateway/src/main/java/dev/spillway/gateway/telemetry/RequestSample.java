package dev.spillway.gateway.telemetry;

import java.time.Duration;
import java.util.Optional;

/** What {@link GatewayMetrics} records about one finished request. Immutable value. */
public record RequestSample(String app, String user, String deployment, String backend, int status,
        long promptTokens, long completionTokens, long cachedTokens, Optional<Duration> timeToFirstToken,
        Duration latency, boolean streamed) {}
