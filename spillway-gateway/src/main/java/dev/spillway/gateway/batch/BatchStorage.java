package dev.spillway.gateway.batch;

/**
 * The batch lane's ports, opened together on one store: the batches, their lines' queue, and the
 * embedded message queue (the way in for apps without a broker); closing closes them all. Thread-safe.
 */
public record BatchStorage(BatchStore store, BatchQueue queue, RequestMailbox requests) implements AutoCloseable {
    @Override
    public void close() {
        requests.close();
        queue.close();
        store.close();
    }
}
