package dev.spillway.gateway.pipeline;

import java.time.Duration;
import java.util.Optional;

/** One try of one backend for a request: which backend, what came back, how long it took. Immutable. */
public record Attempt(String backend, int status, Duration duration, Optional<String> error) {
}
