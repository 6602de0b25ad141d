package dev.spillway.gateway.console;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.gateway.signin.SignInConfig;
import java.time.Duration;

/**
 * The {@code gateway.console} section: whether the operator's console is served at {@code /ui}
 * (default yes, once some way to sign in exists), how people sign in ({@code sign-in}, shared with
 * the developer portal) and how long the per-minute rollups behind its charts are kept
 * ({@code rollup-retention}, default 35 days, so a full month is always there). Immutable.
 */
public record ConsoleConfig(boolean enabled, SignInConfig signIn, Duration rollupRetention) {
    public static final ConsoleConfig DEFAULT = new ConsoleConfig(true, SignInConfig.DEFAULT, Duration.ofDays(35));

    public ConsoleConfig {
        java.util.Objects.requireNonNull(signIn, "signIn");
        if (rollupRetention.compareTo(Duration.ofHours(1)) < 0) {
            throw new IllegalArgumentException("rollup-retention: must be at least 1h, was " + rollupRetention);
        }
    }

    public static ConsoleConfig from(ConfigNode n) {
        if (!n.isPresent()) return DEFAULT;
        n.allowOnly("enabled", "sign-in", "rollup-retention");
        SignInConfig signIn = SignInConfig.from(n.child("sign-in"));
        return n.build(() -> new ConsoleConfig(n.bool("enabled", true), signIn,
                n.duration("rollup-retention", DEFAULT.rollupRetention)));
    }
}
