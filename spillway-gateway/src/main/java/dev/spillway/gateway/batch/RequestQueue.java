package dev.spillway.gateway.batch;

import java.util.List;

/**
 * Port: the message-queue way into the lane, the lane's side. Apps publish requests (to RabbitMQ,
 * or over HTTP to the embedded queue in the database, {@link RequestMailbox}); the lane takes a
 * few at a time while a deployment's PTU has headroom, runs each through the pipeline and answers
 * on the request's reply queue with its correlation id. A taken request is this gateway's alone
 * until it is answered or put back; when the gateway dies holding it, it goes to another consumer
 * (the broker redelivers it, or its lease runs out), so a request in flight at a crash may run
 * twice; in normal operation never. One contract suite ({@code RequestQueueContract}) runs on
 * every adapter. Blocking: call from worker threads. Implementations are thread-safe.
 */
public interface RequestQueue extends AutoCloseable {
    /** Takes up to {@code max} waiting requests for {@code deployment}, oldest first; none when none wait. */
    List<QueuedRequest> take(String deployment, int max) throws Exception;

    /**
     * Publishes {@code answer} to the request's reply queue with its correlation id, waits for the
     * broker to confirm it, then removes the request. A request without a reply queue is just removed.
     */
    void answer(QueuedRequest request, QueuedRequest.Answer answer) throws Exception;

    /** Puts the request back behind the waiting ones, its attempt count one higher (it was throttled or failed). */
    void putBack(QueuedRequest request) throws Exception;

    @Override
    void close();
}
