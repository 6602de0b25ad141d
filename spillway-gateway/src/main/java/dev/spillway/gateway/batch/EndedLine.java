package dev.spillway.gateway.batch;

import java.util.Optional;

/** An ended line: its state and output line (absent for lines ended by cancel or expiry). Immutable. */
public record EndedLine(int lineNo, String customId, LineState state, Optional<String> output) {
}
