package dev.spillway.gateway.batch;

/** The batch lane's two ports, opened together on one store; closing closes both. Thread-safe. */
public record BatchStorage(BatchStore store, BatchQueue queue) implements AutoCloseable {
    @Override
    public void close() {
        queue.close();
        store.close();
    }
}
