package dev.spillway.gateway.pipeline;

import dev.spillway.gateway.access.Grants;

/**
 * Who is calling, as established by authentication: the credential's name, the app, team and user
 * it belongs to, the display prefix of the key (never the key), and what the credential grants
 * (key limits, allowed deployments, JWT roles). Immutable.
 */
public record Caller(String keyName, String app, String team, String user, String keyPrefix, Grants grants) {
    public static final Caller ANONYMOUS = new Caller("anonymous", "anonymous", "", "", "");

    /** A caller whose credential grants nothing beyond its identity (a static config key). */
    public Caller(String keyName, String app, String team, String user, String keyPrefix) {
        this(keyName, app, team, user, keyPrefix, Grants.NONE);
    }
}
