package dev.spillway.gateway.signin;

/**
 * What a signed-in person may do in the web consoles: {@code admin} reads and changes everything,
 * {@code viewer} reads everything and changes nothing, {@code app-owner} reads and manages only
 * the apps whose keys name them as owner.
 */
public enum Role {
    ADMIN, VIEWER, APP_OWNER;

    /** The name used in config, JSON and the docs: {@code admin}, {@code viewer}, {@code app-owner}. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
