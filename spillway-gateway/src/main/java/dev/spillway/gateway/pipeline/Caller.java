package dev.spillway.gateway.pipeline;

/**
 * Who is calling, as established by authentication: the credential's name, the app, team and user
 * it belongs to, and the display prefix of the key (never the key). Immutable.
 */
public record Caller(String keyName, String app, String team, String user, String keyPrefix) {
    public static final Caller ANONYMOUS = new Caller("anonymous", "anonymous", "", "", "");
}
