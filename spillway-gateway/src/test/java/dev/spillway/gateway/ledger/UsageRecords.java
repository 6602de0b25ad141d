package dev.spillway.gateway.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Test data: usage records with chosen ids, apps, deployments, tokens and cost. */
final class UsageRecords {
    static final Instant NOV = Instant.parse("2026-11-10T12:00:00Z");

    private UsageRecords() {
    }

    static UsageRecord of(String id) {
        return of(id, NOV, "billing", "gpt-4o", 100, 20, 0);
    }

    static UsageRecord of(String id, Instant at, String app, String deployment, long in, long out, long costNanos) {
        return served(id, at, app, deployment, "backend-a", in, out, costNanos);
    }

    static UsageRecord served(String id, Instant at, String app, String deployment, String backend, long in, long out,
            long costNanos) {
        return new UsageRecord(id, at, app, "team-" + app, "user-" + app, "sk-spw-ab12", deployment, backend,
                "eastus", "gpt-4o-2024-08-06", in, out, 0, 0, false, costNanos,
                Optional.of(Duration.ofMillis(120)), Duration.ofMillis(480), 200, 1, true, false, "");
    }
}
