package dev.spillway.simulator;

/** What a fault does to one response; written in kebab-case in config and in {@code x-sim-fault}. */
public enum FaultKind {
    /** Answer with an HTTP status and an Azure-like error body (429 behaves like a real throttle). */
    STATUS,
    /** Close the connection after reading the request, before any response byte. */
    DISCONNECT_BEFORE_HEADERS,
    /** Send the headers and part of the body (a few stream frames), then close the connection. */
    DISCONNECT_MID_STREAM,
    /** Send the headers, then nothing more until the client gives up. */
    STALL,
    /** Accept the request and never answer. */
    STALL_BEFORE_HEADERS
}
