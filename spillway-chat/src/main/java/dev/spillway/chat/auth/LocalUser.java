package dev.spillway.chat.auth;

import dev.spillway.core.config.ConfigNode;
import java.util.List;
import java.util.Objects;

/** A user defined in config: name, {@link PasswordHasher} hash and access groups. Immutable. */
public record LocalUser(String name, String passwordHash, List<String> groups) {
    public LocalUser {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name: must not be empty");
        Objects.requireNonNull(passwordHash, "password-hash: is required");
        if (!PasswordHasher.isWellFormed(passwordHash)) {
            throw new IllegalArgumentException("password-hash: must be the output of 'spillway chat hash-password'"
                    + " (pbkdf2-sha256$<iterations>$<salt>$<hash>)");
        }
        groups = List.copyOf(groups);
    }

    public static LocalUser from(ConfigNode node) {
        node.allowOnly("name", "password-hash", "groups");
        return node.build(() -> new LocalUser(node.requiredString("name"), node.requiredString("password-hash"),
                node.strings("groups")));
    }

    @Override
    public String toString() {
        return "LocalUser[" + name + ", groups=" + groups + "]";
    }
}
