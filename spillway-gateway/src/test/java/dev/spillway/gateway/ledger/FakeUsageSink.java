package dev.spillway.gateway.ledger;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An in-memory, idempotent sink that can be switched off to imitate a database outage. */
final class FakeUsageSink implements UsageSink {
    private final Map<String, UsageRecord> rows = new LinkedHashMap<>();
    private final List<Integer> batchSizes = new ArrayList<>();
    private volatile boolean down;

    void down(boolean down) {
        this.down = down;
    }

    @Override
    public synchronized int insert(List<UsageRecord> batch) throws SQLException {
        if (down) throw new SQLException("connection refused (fake outage)");
        batchSizes.add(batch.size());
        int fresh = 0;
        for (UsageRecord r : batch) if (rows.putIfAbsent(r.requestId(), r) == null) fresh++;
        return fresh;
    }

    synchronized List<String> ids() {
        return List.copyOf(rows.keySet());
    }

    synchronized List<Integer> batchSizes() {
        return List.copyOf(batchSizes);
    }
}
