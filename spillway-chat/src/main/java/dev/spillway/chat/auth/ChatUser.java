package dev.spillway.chat.auth;

import dev.spillway.core.signin.SessionStore;
import java.util.Set;

/**
 * The signed-in person: a stable id ({@code local:alice} or {@code oidc:<issuer>|<sub>}) that keys
 * their history, a display name and the access groups passed to every search. Immutable.
 */
public record ChatUser(String id, String name, Set<String> groups) implements SessionStore.Principal {
    public ChatUser {
        groups = Set.copyOf(groups);
    }

    @Override
    public String sessionLabel() {
        return id;
    }
}
