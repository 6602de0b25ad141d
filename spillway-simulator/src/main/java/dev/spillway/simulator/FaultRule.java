package dev.spillway.simulator;

import dev.spillway.core.config.ConfigNode;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A config-driven fault: applies {@link #fault()} to a share {@link #probability()} of requests,
 * optionally only for one deployment. The draw uses the simulator's seeded randomness. Immutable.
 */
public record FaultRule(Optional<String> deployment, Fault fault, double probability) {
    public FaultRule {
        Objects.requireNonNull(deployment, "deployment: is required");
        Objects.requireNonNull(fault, "fault: is required");
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability: must be between 0 and 1, was " + probability);
        }
    }

    public static FaultRule always(Fault fault) {
        return new FaultRule(Optional.empty(), fault, 1.0);
    }

    public boolean appliesTo(String deploymentName) {
        return deployment.map(deploymentName::equals).orElse(true);
    }

    /** Reads {@code { deployment?, status? | fault?, probability = 1, retry-after = 1s }}. */
    static FaultRule from(ConfigNode node) {
        node.allowOnly("deployment", "status", "fault", "probability", "retry-after");
        Optional<String> deployment = node.optionalString("deployment");
        double probability = node.decimal("probability", 1.0);
        Duration retryAfter = node.duration("retry-after", Fault.DEFAULT_RETRY_AFTER);
        boolean hasStatus = node.has("status");
        FaultKind kind = node.choice("fault", FaultKind.class, FaultKind.STATUS);
        if (hasStatus == node.has("fault")) {
            node.problem("", "needs exactly one of 'status' (an HTTP status) or 'fault' (a fault kind)");
            return null;
        }
        int status = node.integer("status", 0);
        Fault fault = node.build(() -> new Fault(kind, status, retryAfter));
        if (fault == null) return null;
        return node.build(() -> new FaultRule(deployment, fault, probability));
    }
}
