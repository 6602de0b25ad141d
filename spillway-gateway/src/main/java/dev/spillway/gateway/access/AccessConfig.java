package dev.spillway.gateway.access;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.Secret;
import dev.spillway.gateway.access.jwt.JwtConfig;
import dev.spillway.gateway.access.limit.LimitsConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything issue 4 reads from {@code gateway:}: {@code store}, {@code database}, {@code admin.key},
 * {@code access} (key cache TTL, caller header), {@code jwt} and {@code limits}. Built by
 * {@link #from(ConfigNode)} on the {@code gateway} node. Immutable.
 */
public record AccessConfig(StoreConfig store, DatabaseConfig database, Optional<Secret> adminKey, Duration keyCacheTtl,
        String callerHeader, JwtConfig jwt, LimitsConfig limits) {
    /** The keys of {@code gateway:} this record owns (for GatewayConfig's allowOnly). */
    public static final java.util.Set<String> KEYS = java.util.Set.of("store", "database", "admin", "access", "jwt",
            "limits");

    public static final AccessConfig DEFAULT = new AccessConfig(StoreConfig.DEFAULT, DatabaseConfig.DEFAULT,
            Optional.empty(), Duration.ofSeconds(1), "caller-objectid", JwtConfig.NONE, LimitsConfig.DEFAULT);

    public AccessConfig {
        if (keyCacheTtl.isNegative() || keyCacheTtl.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("access.key-cache-ttl: must be between 0s and 1s (revocation "
                    + "reaches every replica within it), was " + keyCacheTtl);
        }
        if (callerHeader.isBlank()) throw new IllegalArgumentException("access.caller-header: must not be blank");
    }

    /** Reads the access sections from the {@code gateway} node. */
    public static AccessConfig from(ConfigNode gateway) {
        StoreConfig store = gateway.object("store", StoreConfig::from);
        DatabaseConfig database = gateway.object("database", DatabaseConfig::from);
        ConfigNode admin = gateway.child("admin");
        admin.allowOnly("key");
        Optional<Secret> adminKey = admin.has("key") ? Optional.ofNullable(admin.secret("key")) : Optional.empty();
        ConfigNode access = gateway.child("access");
        access.allowOnly("key-cache-ttl", "caller-header");
        JwtConfig jwt = gateway.object("jwt", JwtConfig::from);
        LimitsConfig limits = gateway.object("limits", LimitsConfig::from);
        return gateway.build(() -> new AccessConfig(store == null ? StoreConfig.DEFAULT : store,
                database == null ? DatabaseConfig.DEFAULT : database, adminKey,
                access.duration("key-cache-ttl", DEFAULT.keyCacheTtl()),
                access.string("caller-header", DEFAULT.callerHeader()),
                jwt == null ? JwtConfig.NONE : jwt, limits == null ? LimitsConfig.DEFAULT : limits));
    }
}
