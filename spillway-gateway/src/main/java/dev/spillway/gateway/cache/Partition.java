package dev.spillway.gateway.cache;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The slice of the cache one request may read and write: always its app, then the scope the app's
 * {@code partition} setting adds (its key, team or user) and the caller's access groups when the
 * client passed them ({@code x-spillway-access-groups}). Two requests share cached answers only when
 * their partitions are equal. {@code id} is a hex digest of all of it, so a store key never shows
 * a user or a group; the app stays readable for purges. Immutable.
 */
public record Partition(String app, String id) {
    /** Never updated, only cloned, so shared by every thread. */
    private static final MessageDigest SHA_256;

    static {
        try {
            SHA_256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public Partition {
        Objects.requireNonNull(app, "app");
        if (id.isEmpty()) throw new IllegalArgumentException("partition id must not be empty");
    }

    /** The partition of {@code app} narrowed by {@code scope} (empty for the app alone) and {@code groups}. */
    public static Partition of(String app, String scope, List<String> groups) {
        MessageDigest sha = sha256();
        RequestHash.text(sha, app);
        RequestHash.text(sha, scope);
        groups.stream().sorted().distinct().forEach(g -> RequestHash.text(sha, g));
        return new Partition(app, HexFormat.of().formatHex(sha.digest(), 0, 16));
    }

    /** A fresh SHA-256: a copy of one made once (cheaper than a provider lookup per request). */
    static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
    }
}
