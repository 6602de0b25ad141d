package dev.spillway.gateway.route;

import dev.spillway.gateway.config.RoutingConfig;
import dev.spillway.gateway.route.pool.BackendState;
import io.vertx.core.MultiMap;

/**
 * Reads Azure's throttling headers (research/azure-api.md sections 1.9 and 2):
 * {@code x-ratelimit-remaining-tokens/-requests}, {@code x-ratelimit-limit-tokens},
 * {@code azure-openai-deployment-utilization} ("87.3%") and, on a 429, {@code retry-after-ms}
 * (preferred) or {@code retry-after} (seconds). Malformed values are ignored. Stateless.
 */
public final class QuotaHeaders {
    private QuotaHeaders() {
    }

    /** Records what {@code headers} say about the backend's remaining capacity. */
    public static void observe(BackendState backend, MultiMap headers, long now) {
        backend.observeQuota(number(headers.get("x-ratelimit-remaining-tokens")),
                number(headers.get("x-ratelimit-remaining-requests")),
                number(headers.get("x-ratelimit-limit-tokens")),
                percent(headers.get("azure-openai-deployment-utilization")), now);
    }

    /** How long a 429 asks to wait, bounded by the spillover's default and maximum cooldown. */
    public static long retryAfterMillis(MultiMap headers, RoutingConfig.Spillover spillover) {
        long ms = number(headers.get("retry-after-ms"));
        if (ms < 0) {
            long seconds = number(headers.get("retry-after"));
            ms = seconds < 0 ? spillover.defaultCooldown().toMillis() : seconds * 1000;
        }
        return Math.min(Math.max(ms, 1), spillover.maxCooldown().toMillis());
    }

    /** A non-negative whole number (decimals truncated), or -1. */
    static long number(String value) {
        if (value == null) return -1;
        try {
            double d = Double.parseDouble(value.trim());
            return d >= 0 && d < Long.MAX_VALUE ? (long) d : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static double percent(String value) {
        if (value == null) return -1;
        String v = value.trim();
        if (v.endsWith("%")) v = v.substring(0, v.length() - 1);
        try {
            double d = Double.parseDouble(v.trim());
            return d >= 0 ? d : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
