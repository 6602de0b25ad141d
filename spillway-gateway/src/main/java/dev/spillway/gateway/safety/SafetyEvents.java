package dev.spillway.gateway.safety;

/**
 * Hears each finding as the safety policy makes it: the metrics counters plug in here. Called on
 * the event loop; must not block.
 */
@FunctionalInterface
public interface SafetyEvents {
    void fired(String app, Finding finding);

    SafetyEvents NONE = (app, finding) -> {
        // nobody counts
    };
}
