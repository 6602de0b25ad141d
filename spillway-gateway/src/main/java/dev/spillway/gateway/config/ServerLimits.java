package dev.spillway.gateway.config;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.DataSize;
import dev.spillway.core.net.ListenerLimits;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The gateway's own resource limits, read from {@code gateway:}: the memory all buffered request
 * bodies may take together, the slowest body it waits for, the connection limits of its listener,
 * an optional separate health listener, whether static keys may be short and whether clients may
 * steer a simulator backend. Immutable.
 *
 * @param maxInFlightBytes {@code max-in-flight-bytes}, default 64 MiB: request body bytes held in
 *                         memory at once, gateway-wide; past it, requests get 503 + retry-after
 * @param minBodyRate      {@code min-body-rate}, default 1 KiB (per second): a body slower than
 *                         this on average, after {@code min-body-rate-grace} (default 5 s), gets 408
 * @param minBodyRateGrace {@code min-body-rate-grace}
 * @param listener         {@code listener:}, see {@link ListenerLimits}
 * @param healthPort       {@code health-port}, default none: a second listener that serves only
 *                         {@code /healthz}, {@code /readyz} and the Azure status path (0: any free port)
 * @param allowShortKeys   {@code allow-short-keys}, default false: accept static keys under 32 characters
 * @param forwardSimHeaders {@code forward-sim-headers}, default false: pass clients' {@code x-sim-*}
 *                         headers (the simulator's steering) to backends; off, they are removed
 */
public record ServerLimits(DataSize maxInFlightBytes, DataSize minBodyRate, Duration minBodyRateGrace,
        ListenerLimits listener, Optional<Integer> healthPort, boolean allowShortKeys, boolean forwardSimHeaders) {
    public static final List<String> KEYS = List.of("max-in-flight-bytes", "min-body-rate", "min-body-rate-grace",
            "listener", "health-port", "allow-short-keys", "forward-sim-headers");
    public static final ServerLimits DEFAULT = new ServerLimits(DataSize.ofMebibytes(64), DataSize.ofKibibytes(1),
            Duration.ofSeconds(5), ListenerLimits.DEFAULT, Optional.empty(), false, false);

    public ServerLimits {
        if (minBodyRateGrace.isNegative() || minBodyRateGrace.isZero()) {
            throw new IllegalArgumentException("min-body-rate-grace: must be > 0, was " + minBodyRateGrace);
        }
        healthPort.ifPresent(p -> {
            if (p < 0 || p > 65535) throw new IllegalArgumentException("health-port: must be 0-65535, was " + p);
        });
    }

    static ServerLimits from(ConfigNode n) {
        ListenerLimits listener = n.object("listener", ListenerLimits::from);
        ServerLimits built = n.build(() -> new ServerLimits(
                n.size("max-in-flight-bytes", DEFAULT.maxInFlightBytes()),
                n.size("min-body-rate", DEFAULT.minBodyRate()),
                n.duration("min-body-rate-grace", DEFAULT.minBodyRateGrace()),
                listener,
                n.has("health-port") ? Optional.of(n.integer("health-port", 0)) : Optional.empty(),
                n.bool("allow-short-keys", false),
                n.bool("forward-sim-headers", false)));
        return built == null ? DEFAULT : built;
    }

    /**
     * The heap this gateway needs for its bounded parts: each buffered body byte may be held about
     * four times (the raw bytes, the parsed JSON tree, a re-serialized copy), plus the audit's own
     * in-flight bound and 128 MiB for everything else (docs/security.md).
     */
    public long heapNeeded(DataSize auditInFlight) {
        return 4 * maxInFlightBytes.bytes() + auditInFlight.bytes() + DataSize.ofMebibytes(128).bytes();
    }
}
