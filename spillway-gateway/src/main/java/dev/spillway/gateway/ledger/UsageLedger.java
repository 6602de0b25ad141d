package dev.spillway.gateway.ledger;

import java.util.concurrent.CompletionStage;

/**
 * Port: where each finished request's usage record goes. {@link #append} never blocks the caller
 * (it runs on the event loop in the {@code RECORD_USAGE} completion step); the stage completes once the
 * record is durable. Implementations are thread-safe and live as long as the gateway.
 */
public interface UsageLedger {
    CompletionStage<Void> append(UsageRecord record);
}
