package dev.spillway.gateway.audit;

/**
 * Where a captured body went: its file (relative to the audit dir; null when the in-flight bound
 * skipped the whole body) and, for a body inside a shared segment file, its {@code offset} there
 * (-1 for a file of its own); how many bytes passed, how many redacted bytes were stored (the
 * body's length in the file), whether the size cap cut it ({@code truncated}) or the in-flight
 * bound dropped chunks or all of it ({@code incomplete}), the SHA-256 of the stored bytes, and,
 * for an encrypted body, its key id and nonce (the stored bytes are then ciphertext and tag).
 * Immutable value.
 */
public record BodyRef(String file, long bytesSeen, long bytesStored, boolean truncated, boolean incomplete,
        String sha256, long offset, java.util.Optional<BodyCipher.Sealed> sealed) {}
