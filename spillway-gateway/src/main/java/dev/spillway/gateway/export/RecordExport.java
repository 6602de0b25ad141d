package dev.spillway.gateway.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * Port: where a durable usage or audit record is also shipped for a central log store. Never
 * blocks and never fails the request: an exporter that cannot keep up drops and counts. The
 * ledger database and the audit files stay the records of truth. Thread-safe; one per gateway.
 */
public interface RecordExport extends AutoCloseable {
    /** Ships one record: {@code kind} is {@code usage} or {@code audit}, {@code fields} its JSON form. */
    void ship(String kind, String requestId, Instant at, ObjectNode fields);

    /** Records that could not be shipped (queue full, a write failed). */
    long dropped();

    @Override
    void close();
}
