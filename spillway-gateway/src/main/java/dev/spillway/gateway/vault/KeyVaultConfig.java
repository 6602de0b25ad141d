package dev.spillway.gateway.vault;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.Secret;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code key-vault:} section and the {@code ${keyvault:...}} references found in the gateway's
 * config: how often they are fetched again ({@code refresh-interval}, default 5m), how long one
 * fetch may take ({@code timeout}, 10s) and, for tests only, a loopback {@code endpoint} that
 * answers for every vault. Immutable.
 */
public record KeyVaultConfig(Duration refreshInterval, Duration timeout, Optional<URI> endpoint,
        Map<String, Secret> references) {
    /** The secrets API version (learn.microsoft.com/rest/api/keyvault/secrets/get-secret). */
    public static final String API_VERSION = "7.4";

    public KeyVaultConfig {
        if (refreshInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("refresh-interval: must be at least 1s, was " + refreshInterval);
        }
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout: must be > 0");
        endpoint.ifPresent(KeyVaultConfig::requireLoopback);
        references = Map.copyOf(references);
    }

    public static KeyVaultConfig none() {
        return new KeyVaultConfig(Duration.ofMinutes(5), Duration.ofSeconds(10), Optional.empty(), Map.of());
    }

    /** Reads {@code key-vault:} under {@code gateway}, with the references read so far under it. */
    public static KeyVaultConfig from(ConfigNode gateway) {
        ConfigNode n = gateway.child("key-vault");
        n.allowOnly("refresh-interval", "timeout", "endpoint");
        return n.build(() -> new KeyVaultConfig(n.duration("refresh-interval", Duration.ofMinutes(5)),
                n.duration("timeout", Duration.ofSeconds(10)),
                n.optionalString("endpoint").map(s -> URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s)),
                gateway.vaultSecrets()));
    }

    /** Where {@code secret} is fetched: its own vault, or the test endpoint. */
    public URI url(URI secret) {
        String base = endpoint.map(URI::toString).orElse(secret.getScheme() + "://" + secret.getAuthority());
        return URI.create(base + secret.getPath() + "?api-version=" + API_VERSION);
    }

    private static void requireLoopback(URI url) {
        boolean loopback;
        try {
            loopback = url.getHost() != null && InetAddress.getByName(url.getHost()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            loopback = false;
        }
        if (!loopback) {
            throw new IllegalArgumentException("endpoint: may point only at loopback (a test's simulator), was '"
                    + url + "'; references name their own vault");
        }
    }
}
