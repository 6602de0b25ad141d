package dev.spillway.gateway.access;

import dev.spillway.core.config.Secret;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks the key an operator endpoint ({@code /admin/...}, {@code /metrics}) was called with,
 * from {@code api-key} or {@code Authorization: Bearer}, against the configured secret in
 * constant time. Stateless.
 */
public final class PresentedKey {
    private PresentedKey() {
    }

    public static boolean matches(HttpServerRequest request, Secret expected) {
        String given = request.getHeader("api-key");
        String auth = request.getHeader("authorization");
        if (given == null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) given = auth.substring(7).trim();
        if (given == null) return false;
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expected.value().getBytes(StandardCharsets.UTF_8));
    }
}
