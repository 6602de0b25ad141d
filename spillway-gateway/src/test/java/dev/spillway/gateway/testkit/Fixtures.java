package dev.spillway.gateway.testkit;

import dev.spillway.gateway.config.BackendConfig;
import dev.spillway.gateway.config.ProbeConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** Small builders for routing tests. */
public final class Fixtures {
    private Fixtures() {
    }

    public static BackendConfig backend(String name, String region) {
        return backend(name, region, "http://127.0.0.1:1");
    }

    public static BackendConfig backend(String name, String region, String url) {
        return new BackendConfig(name, URI.create(url), BackendConfig.Api.AZURE, "gpt-4o", "2024-10-21",
                BackendConfig.Auth.NONE, Optional.empty(), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(2), 8, region, ProbeConfig.DEFAULT, Optional.empty(), true, Optional.empty());
    }
}
