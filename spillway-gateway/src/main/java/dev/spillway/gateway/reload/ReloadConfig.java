package dev.spillway.gateway.reload;

import dev.spillway.core.config.ConfigNode;
import java.time.Duration;

/**
 * {@code gateway.reload}: how often the config file is checked for a change ({@code interval},
 * default 10s; {@code 0s} turns the watch off, leaving {@code POST /admin/config/reload} and
 * SIGHUP). Immutable.
 */
public record ReloadConfig(Duration interval) {
    public static final ReloadConfig DEFAULT = new ReloadConfig(Duration.ofSeconds(10));

    public ReloadConfig {
        if (interval.isNegative() || (!interval.isZero() && interval.compareTo(Duration.ofMillis(100)) < 0)) {
            throw new IllegalArgumentException("interval: must be 0s (off) or at least 100ms, was " + interval);
        }
    }

    public static ReloadConfig from(ConfigNode n) {
        n.allowOnly("interval");
        return n.build(() -> new ReloadConfig(n.duration("interval", DEFAULT.interval())));
    }

    public boolean watched() {
        return !interval.isZero();
    }
}
