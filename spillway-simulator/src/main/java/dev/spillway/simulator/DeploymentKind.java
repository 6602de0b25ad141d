package dev.spillway.simulator;

/** How a simulated deployment is billed and throttled: provisioned capacity or per-minute quota. */
public enum DeploymentKind {
    /** Provisioned throughput: a leaky bucket of tokens per second, utilization header. */
    PTU,
    /** Standard deployment: tokens per minute and requests per 10 s, {@code x-ratelimit-*} headers. */
    PAY_AS_YOU_GO
}
