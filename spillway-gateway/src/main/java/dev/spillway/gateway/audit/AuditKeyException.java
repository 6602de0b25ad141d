package dev.spillway.gateway.audit;

/** An audit body that cannot be decrypted with the configured {@code audit.body-keys}; says which key. */
public final class AuditKeyException extends Exception {
    AuditKeyException(String message) {
        super(message);
    }
}
