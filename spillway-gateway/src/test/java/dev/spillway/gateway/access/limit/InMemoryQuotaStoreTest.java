package dev.spillway.gateway.access.limit;

import java.time.Clock;
import java.time.Duration;

class InMemoryQuotaStoreTest extends QuotaStoreContract {
    @Override
    protected QuotaStore newStore(Clock clock, Duration holdTtl) {
        return new InMemoryQuotaStore(clock, holdTtl);
    }
}
