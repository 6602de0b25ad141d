package dev.spillway.gateway.signin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.config.Secret;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.access.jwt.JwtPrincipal;
import dev.spillway.gateway.access.jwt.JwtVerifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Turns what the sign-in form sent into a {@link SignedIn}: {@code {"key": ...}} is compared in
 * constant time with {@code gateway.admin.key} (admin) and {@code viewer-key} (viewer);
 * {@code {"token": ...}} is a JWT from one of {@code gateway.jwt}'s issuers, verified by the same
 * {@link JwtVerifier} that guards the API, whose roles make an admin or a viewer, and which
 * otherwise signs in its user as an app owner; an ID token from the console's OpenID provider
 * ({@link OidcEndpoint}) maps the same way. Stateless; thread-safe.
 */
public final class SignIn {
    private static final String REFUSED = "That key or token does not open the console.";
    private final Optional<Secret> adminKey;
    private final SignInConfig config;
    private final Optional<JwtVerifier> jwt;

    public SignIn(Optional<Secret> adminKey, SignInConfig config, Optional<JwtVerifier> jwt) {
        this.adminKey = adminKey;
        this.config = config;
        this.jwt = jwt;
    }

    /** Whether any way to sign in is configured (without one the consoles are not served). */
    public boolean possible() {
        return adminKey.isPresent() || config.viewerKey().isPresent() || jwt.isPresent() || config.oidc().isPresent();
    }

    public CompletionStage<SignedIn> verify(JsonNode form) {
        String key = form.path("key").asText("");
        String token = form.path("token").asText("");
        if (!key.isEmpty() && token.isEmpty()) return CompletableFuture.completedFuture(byKey(key));
        if (!token.isEmpty() && key.isEmpty() && jwt.isPresent()) {
            CompletableFuture<SignedIn> who = new CompletableFuture<>();
            jwt.get().verify(token).whenComplete((p, e) -> {
                if (e != null) who.completeExceptionally(new SpillwayException.Unauthenticated(REFUSED));
                else who.complete(byToken(p));
            });
            return who;
        }
        return CompletableFuture.failedFuture(new SpillwayException.Unauthenticated(
                jwt.isPresent() ? "Send the admin or viewer key, or a token." : "Send the admin or viewer key."));
    }

    private SignedIn byKey(String given) {
        if (matches(given, adminKey)) return new SignedIn("admin-key", Role.ADMIN);
        if (matches(given, config.viewerKey())) return new SignedIn("viewer-key", Role.VIEWER);
        throw new SpillwayException.Unauthenticated(REFUSED);
    }

    SignedIn byToken(JwtPrincipal p) {
        return byRoles(p.user(), p.roles());
    }

    /** A role in {@code admin-roles} makes an admin, else one in {@code viewer-roles} a viewer, else an app owner. */
    SignedIn byRoles(String user, Set<String> roles) {
        if (roles.stream().anyMatch(config.adminRoles()::contains)) return new SignedIn(user, Role.ADMIN);
        if (roles.stream().anyMatch(config.viewerRoles()::contains)) return new SignedIn(user, Role.VIEWER);
        return new SignedIn(user, Role.APP_OWNER);
    }

    private static boolean matches(String given, Optional<Secret> expected) {
        return expected.isPresent() && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expected.get().value().getBytes(StandardCharsets.UTF_8));
    }
}
