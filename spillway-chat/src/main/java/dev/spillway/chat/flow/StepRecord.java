package dev.spillway.chat.flow;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one flow step did: its name, how long it took, and its inputs and outputs (JSON-friendly
 * values) as shown in the UI's thought-process panel. Immutable.
 */
public record StepRecord(String step, Duration elapsed, Map<String, Object> inputs, Map<String, Object> outputs) {
    public StepRecord {
        inputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        outputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    }
}
