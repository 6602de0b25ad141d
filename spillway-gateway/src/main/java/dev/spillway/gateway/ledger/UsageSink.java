package dev.spillway.gateway.ledger;

import java.util.List;

/**
 * Port: the database side of the ledger, fed in batches by the spool drainer. Must be idempotent
 * by request id (a batch may be replayed after a lost acknowledgement); returns how many records
 * were new. Blocking; called from the drainer thread only. {@code JdbcUsageStore::insert} fits.
 */
@FunctionalInterface
public interface UsageSink {
    int insert(List<UsageRecord> batch) throws Exception;
}
