package dev.spillway.chat.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(new SecureRandom(), 1_000);

    @Test
    void correctPasswordVerifiesAndWrongOneDoesNot() {
        String hash = hasher.hash("correct horse".toCharArray());
        assertThat(PasswordHasher.verify("correct horse".toCharArray(), hash)).isTrue();
        assertThat(PasswordHasher.verify("correct horsf".toCharArray(), hash)).isFalse();
        assertThat(PasswordHasher.verify("".toCharArray(), hash)).isFalse();
    }

    @Test
    void hashIsSelfDescribingAndSaltedPerCall() {
        String a = hasher.hash("pw".toCharArray());
        String b = hasher.hash("pw".toCharArray());
        assertThat(a).startsWith("pbkdf2-sha256$1000$").isNotEqualTo(b);
        assertThat(a.split("\\$")).hasSize(4);
        assertThat(PasswordHasher.isWellFormed(a)).isTrue();
    }

    @Test
    void iterationsAreReadFromTheStoredHashSoOldHashesKeepWorking() {
        String old = new PasswordHasher(new SecureRandom(), 500).hash("pw".toCharArray());
        assertThat(PasswordHasher.verify("pw".toCharArray(), old)).isTrue();
    }

    @Test
    void defaultWorkFactorFollowsOwasp() {
        assertThat(PasswordHasher.DEFAULT_ITERATIONS).isEqualTo(600_000);
    }

    @Test
    void malformedOrTamperedHashNeverVerifies() {
        String hash = hasher.hash("pw".toCharArray());
        assertThat(PasswordHasher.verify("pw".toCharArray(), "plain-text-password")).isFalse();
        assertThat(PasswordHasher.verify("pw".toCharArray(), hash.replace("$1000$", "$1001$"))).isFalse();
    }

    @Test
    void configRejectsAUserWhosePasswordIsNotAHash() {
        assertThatThrownBy(() -> new LocalUser("alice", "secret", List.of()))
                .hasMessageStartingWith("password-hash: must be the output of 'spillway chat hash-password'");
    }
}
