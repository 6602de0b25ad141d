package dev.spillway.gateway.audit;

import dev.spillway.core.config.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One named key of the audit log ({@code audit.chain-keys}, {@code audit.body-keys}): its id goes
 * into each record or body it protects, so keys can rotate while old ids stay configured to read
 * old data. The value comes from a secret reference and is read when used. Immutable.
 */
public record AuditKey(String id, Secret secret) {
    /** Shortest secret accepted: 32 characters (e.g. {@code openssl rand -base64 32} gives 44). */
    public static final int MIN_LENGTH = 32;

    public AuditKey {
        Objects.requireNonNull(secret, "secret: is required");
        if (id == null || !id.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("id: must be 1-64 letters, digits, '.', '_' or '-', was '" + id + "'");
        }
    }

    /** The secret's bytes; fails naming the key when it is missing or too short to be a key. */
    public byte[] material() {
        String value = secret.value();
        if (value.length() < MIN_LENGTH) {
            throw new IllegalStateException("audit key " + id + " (" + secret + ") is " + value.length()
                    + " characters; it must be at least " + MIN_LENGTH);
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
