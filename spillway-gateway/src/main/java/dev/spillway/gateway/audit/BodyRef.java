package dev.spillway.gateway.audit;

/**
 * Where a captured body went: its file (relative to the audit dir; null when the in-flight bound
 * skipped the whole body), how many bytes passed, how many redacted bytes were stored, whether the
 * size cap cut it ({@code truncated}) or the in-flight bound dropped chunks or all of it
 * ({@code incomplete}), and the SHA-256 of the stored file.
 * Immutable value.
 */
public record BodyRef(String file, long bytesSeen, long bytesStored, boolean truncated, boolean incomplete,
        String sha256) {}
