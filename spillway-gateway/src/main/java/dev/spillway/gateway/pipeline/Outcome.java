package dev.spillway.gateway.pipeline;

/**
 * How a request ended, passed to the completion work of {@link Exchange#onComplete}: the status sent, the body
 * bytes written, whether the stream ended cleanly, and whether the client went away first.
 */
public record Outcome(int status, long bytesSent, boolean completed, boolean clientDisconnected) {
}
