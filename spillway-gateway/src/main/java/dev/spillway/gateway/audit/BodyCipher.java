package dev.spillway.gateway.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encryption at rest of audit bodies ({@code audit.body-keys}): AES-256-GCM with a random 96-bit
 * nonce per body, the body's name ({@code <request-id>.<direction>}) as associated data so a body
 * cannot be passed off as another's, and a 128-bit tag after the ciphertext. The AES key is the
 * SHA-256 of a fixed label and the configured secret (at least 32 characters). The record keeps
 * the key id and nonce ({@link Sealed}). Stateless; thread-safe.
 */
final class BodyCipher {
    static final String ALGORITHM = "AES-256-GCM";
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** How a stored body was sealed: the key id and the nonce (base64). Immutable value. */
    record Sealed(String keyId, String nonce) {}

    private BodyCipher() {
    }

    /** A cipher ready to encrypt one body under {@code key}, and the {@link Sealed} to record. */
    record Encryption(Cipher cipher, Sealed sealed) {}

    static Encryption encrypt(AuditKey key, String bodyName) {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        Cipher cipher = init(Cipher.ENCRYPT_MODE, key, nonce, bodyName);
        return new Encryption(cipher, new Sealed(key.id(), Base64.getEncoder().encodeToString(nonce)));
    }

    /** Decrypts a stored body; fails naming the key id when it is not configured or does not fit. */
    static byte[] decrypt(Keyring keys, Sealed sealed, String bodyName, byte[] stored) throws AuditKeyException {
        AuditKey key = keys.byId(sealed.keyId()).orElseThrow(() -> new AuditKeyException("body " + bodyName
                + " is encrypted with key '" + sealed.keyId() + "', which is not configured (audit.body-keys)"));
        try {
            return init(Cipher.DECRYPT_MODE, key, Base64.getDecoder().decode(sealed.nonce()), bodyName).doFinal(stored);
        } catch (AEADBadTagException e) {
            throw new AuditKeyException("body " + bodyName + " does not decrypt with key '" + sealed.keyId()
                    + "': wrong key value for that id, or the stored bytes were changed");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Cipher init(int mode, AuditKey key, byte[] nonce, String bodyName) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(aesKey(key), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(bodyName.getBytes(StandardCharsets.UTF_8));
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] aesKey(AuditKey key) throws GeneralSecurityException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update("spillway audit body key v1\0".getBytes(StandardCharsets.US_ASCII));
        return sha.digest(key.material());
    }
}
