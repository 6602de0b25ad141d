package dev.spillway.gateway.batch;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Port: the embedded message queue, both sides. The lane's side is {@link RequestQueue}; the app's
 * side, which the HTTP way in ({@link RequestQueueApi}) serves, publishes requests as an owner the
 * gateway authenticated, and reads and acknowledges the answers on that owner's reply queues. A
 * reply queue belongs to one app: the same name under two apps is two queues. Answers stay until
 * acknowledged (at least once). Blocking: call from worker threads. Thread-safe; shared by every
 * gateway replica on the same store.
 */
public interface RequestMailbox extends RequestQueue {
    /** Queues a request behind the waiting ones; returns its id. Durable once this returns. */
    String publish(Published request) throws Exception;

    /** Up to {@code max} answers waiting on {@code app}'s {@code replyTo} queue, oldest first; they stay until acknowledged. */
    List<Reply> replies(String app, String replyTo, int max) throws Exception;

    /** Removes the answers named by {@code ids} from {@code app}'s {@code replyTo} queue; returns how many it removed. */
    int acknowledge(String app, String replyTo, List<String> ids) throws Exception;

    /** A request as an app published it. Immutable. */
    record Published(BatchOwner owner, String deployment, String endpoint, String body, Optional<String> replyTo,
            Optional<String> correlationId) {
        public Published {
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(deployment, "deployment");
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(replyTo, "replyTo");
            Objects.requireNonNull(correlationId, "correlationId");
        }
    }

    /** One answer on a reply queue: its id (to acknowledge it), the request's correlation id and what the request got. Immutable. */
    record Reply(String id, Optional<String> correlationId, QueuedRequest.Answer answer, Instant createdAt) {
        public Reply {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(correlationId, "correlationId");
            Objects.requireNonNull(answer, "answer");
            Objects.requireNonNull(createdAt, "createdAt");
        }
    }
}
