package dev.spillway.chat.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Hashes local users' passwords with PBKDF2-HMAC-SHA256 (in the JDK) and a random 16-byte salt,
 * as the self-describing string {@code pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>}, so the
 * work factor can be raised later without invalidating stored hashes. Thread-safe.
 */
public final class PasswordHasher {
    /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
    public static final int DEFAULT_ITERATIONS = 600_000;
    private static final String PREFIX = "pbkdf2-sha256";
    private static final Pattern FORMAT = Pattern.compile("pbkdf2-sha256\\$\\d{1,9}\\$[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+");
    private static final int KEY_BITS = 256;
    private final SecureRandom random;
    private final int iterations;

    public PasswordHasher(SecureRandom random, int iterations) {
        if (iterations < 1) throw new IllegalArgumentException("iterations: must be > 0, was " + iterations);
        this.random = random;
        this.iterations = iterations;
    }

    public PasswordHasher() {
        this(new SecureRandom(), DEFAULT_ITERATIONS);
    }

    public static boolean isWellFormed(String hash) {
        return FORMAT.matcher(hash).matches();
    }

    public String hash(char[] password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        byte[] key = derive(password, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(key);
    }

    /** Whether {@code password} matches {@code stored}; compares in constant time. */
    public static boolean verify(char[] password, String stored) {
        if (!isWellFormed(stored)) return false;
        String[] parts = stored.split("\\$");
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        byte[] expected = Base64.getDecoder().decode(parts[3]);
        byte[] actual = derive(password, salt, Integer.parseInt(parts[1]));
        return MessageDigest.isEqual(expected, actual);
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, KEY_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
