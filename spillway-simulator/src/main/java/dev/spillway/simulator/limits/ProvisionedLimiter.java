package dev.spillway.simulator.limits;

import java.time.InstantSource;
import java.util.Locale;
import java.util.Map;

/**
 * Azure's provisioned (PTU) admission, a leaky bucket: the bucket holds one minute of capacity
 * (tokens/s × 60) and drains continuously at tokens/s. A request is refused while utilization is
 * at or over 100%, otherwise its estimate is added (a burst may go a little over 100%), and at
 * completion the estimate is corrected to the tokens really used
 * (learn.microsoft.com, "provisioned throughput" concepts). Thread-safe (one lock).
 */
final class ProvisionedLimiter implements DeploymentLimiter {
    private final double tokensPerMilli;
    private final double size;
    private final InstantSource clock;
    private double level;
    private long updatedAt;

    ProvisionedLimiter(long tokensPerSecond, InstantSource clock) {
        this.tokensPerMilli = tokensPerSecond / 1000.0;
        this.size = tokensPerSecond * 60.0;
        this.clock = clock;
        this.updatedAt = clock.millis();
    }

    @Override
    public synchronized Admission admit(long estimatedTokens) {
        drain();
        if (level >= size) {
            long wait = (long) Math.ceil((level - size) / tokensPerMilli) + 1;
            return Admission.refused(wait, "capacity", header());
        }
        level += estimatedTokens;
        return Admission.admitted(estimatedTokens, header());
    }

    @Override
    public synchronized void settle(Admission admission, long actualTokens) {
        drain();
        level = Math.max(0, level + actualTokens - admission.cost());
    }

    @Override
    public synchronized Map<String, String> currentHeaders() {
        drain();
        return header();
    }

    private void drain() {
        long now = clock.millis();
        level = Math.max(0, level - (now - updatedAt) * tokensPerMilli);
        updatedAt = now;
    }

    private Map<String, String> header() {
        return Map.of("azure-openai-deployment-utilization", String.format(Locale.ROOT, "%.1f%%", 100 * level / size));
    }
}
