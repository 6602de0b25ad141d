package dev.spillway.gateway.access.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * Makes and recognises app key secrets: {@code sk-spw-} followed by 256 random bits in base64url
 * (43 characters). Only {@link #hash} of a secret is ever stored. Stateless, thread-safe.
 */
public final class ApiKeySecrets {
    public static final String PREFIX = "sk-spw-";
    private static final int SECRET_LENGTH = PREFIX.length() + 43;

    private ApiKeySecrets() {
    }

    /** A new secret from {@code random}, which must be a cryptographically strong generator in production. */
    public static String generate(RandomGenerator random) {
        byte[] bits = new byte[32];
        random.nextBytes(bits);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    /** Whether {@code value} has the shape of an app key (checked before any lookup). */
    public static boolean looksLikeKey(String value) {
        if (value.length() != SECRET_LENGTH || !value.startsWith(PREFIX)) return false;
        for (int i = PREFIX.length(); i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) return false;
        }
        return true;
    }

    /** Lower-case hex SHA-256 of the secret: the only form in which it is stored. */
    public static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What lists and logs show: {@code sk-spw-AbCd…}. */
    public static String displayPrefix(String secret) {
        return secret.substring(0, PREFIX.length() + 4) + "…";
    }
}
