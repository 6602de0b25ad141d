package dev.spillway.gateway.reload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.gateway.config.GatewayConfig;

/**
 * Where the gateway's config comes from, read again on a reload: the file's digest (cheap, to
 * notice a change) and the whole file parsed and validated exactly as at start. Implementations
 * are thread-safe; {@link #load} blocks (file I/O).
 */
public interface ConfigSource {
    /** What to call the source in logs and on {@code /admin/config} (the file's path). */
    String name();

    /** The SHA-256 of the source's bytes now, or {@code "unreadable: ..."} when it cannot be read. */
    String digest();

    /** Reads and validates; throws {@code ConfigException} listing every problem with its path. */
    Loaded load();

    /** One read of the source: its digest, its {@code gateway:} section as written, and that section validated. */
    record Loaded(String hash, JsonNode gateway, GatewayConfig config) {
    }
}
