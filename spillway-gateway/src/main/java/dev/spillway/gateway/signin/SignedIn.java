package dev.spillway.gateway.signin;

import dev.spillway.core.signin.SessionStore;
import java.util.Objects;

/**
 * Who a console session belongs to: the subject (the token's user id, or {@code admin-key} /
 * {@code viewer-key} for the shared keys) and their role. An app owner's apps are the apps of the
 * keys whose {@code owner} equals the subject, looked up when needed. Immutable.
 */
public record SignedIn(String subject, Role role) implements SessionStore.Principal {
    public SignedIn {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(role, "role");
    }

    /** Whether this person sees every app (admin and viewer) rather than only their own. */
    public boolean seesAllApps() {
        return role != Role.APP_OWNER;
    }

    @Override
    public String sessionLabel() {
        return subject + " " + role.wire();
    }
}
