package dev.spillway.store.jdbc.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.testkit.FakeClock;
import dev.spillway.gateway.batch.BatchOwner;
import dev.spillway.gateway.batch.QueuedRequest;
import dev.spillway.gateway.batch.RequestMailbox;
import dev.spillway.gateway.batch.RequestQueue;
import dev.spillway.gateway.batch.RequestQueueContract;
import dev.spillway.store.jdbc.Database;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded message queue ({@link JdbcRequestQueue}) under the port's contract, plus its app side
 * (publishing as an owner, reading and acknowledging answers): one database per test, every
 * "gateway" a queue of its own on it. A gateway dies by its leases running out on the shared clock.
 */
abstract class JdbcRequestQueueContract extends RequestQueueContract {
    static final Duration LEASE = Duration.ofMinutes(5);
    static final BatchOwner OWNER = new BatchOwner("reports-key", "reports", "finance", "", "sk-spw-rep",
            Optional.of("key-1"), Set.of(), false);
    final FakeClock clock = new FakeClock();
    private Database database;
    private JdbcRequestQueue app;

    /** A fresh, empty database with the migrations applied. */
    protected abstract Database open() throws Exception;

    private Database database() throws Exception {
        if (database == null) database = open();
        return database;
    }

    @AfterEach
    void closeDatabase() throws Exception {
        if (database != null) database.close();
        database = null;
    }

    @Override
    protected RequestQueue gateway() throws Exception {
        return new JdbcRequestQueue(database(), clock, LEASE);
    }

    private JdbcRequestQueue app() throws Exception {
        if (app == null) app = new JdbcRequestQueue(database(), clock, LEASE);
        return app;
    }

    @Override
    protected String replyQueue() {
        return "replies-" + UUID.randomUUID();
    }

    @Override
    protected void publish(String deployment, String endpoint, String body, Optional<String> replyTo,
            String correlationId) throws Exception {
        app().publish(new RequestMailbox.Published(OWNER, deployment, endpoint, body, replyTo, Optional.of(correlationId)));
        clock.advanceMillis(1);
    }

    @Override
    protected List<Answered> drain(String replyTo) throws Exception {
        List<RequestMailbox.Reply> got = app().replies(OWNER.app(), replyTo, 1000);
        app().acknowledge(OWNER.app(), replyTo, got.stream().map(RequestMailbox.Reply::id).toList());
        return got.stream().map(r -> new Answered(r.correlationId(), r.answer().status(), r.answer().requestId(),
                r.answer().body())).toList();
    }

    @Override
    protected void dies(RequestQueue gateway) {
        clock.advance(LEASE);
    }

    @Test
    void aTakenRequestRunsAsTheOwnerThatPublishedIt() throws Exception {
        publish(GPT, "/v1/chat/completions", "{}", Optional.empty(), "mine");
        assertThat(gateway().take(GPT, 1)).singleElement().satisfies(r -> {
            assertThat(r.owner()).contains(OWNER);
            assertThat(r.apiKey()).isEmpty();
        });
    }

    @Test
    void aGatewayWhoseLeaseRanOutAndWasTakenOverWritesNothing() throws Exception {
        RequestQueue slow = gateway();
        RequestQueue other = gateway();
        String replies = replyQueue();
        publish(GPT, "/v1/chat/completions", "{}", Optional.of(replies), "once");
        QueuedRequest late = slow.take(GPT, 1).get(0);
        clock.advance(LEASE);
        QueuedRequest taken = other.take(GPT, 1).get(0);
        slow.answer(late, new QueuedRequest.Answer(200, "late", "{}"));
        slow.putBack(late);
        other.answer(taken, new QueuedRequest.Answer(200, "on-time", "{}"));
        assertThat(drain(replies)).extracting(Answered::requestId).containsExactly("on-time");
        assertThat(other.take(GPT, 5)).isEmpty();
    }

    @Test
    void aReplyQueueBelongsToOneAppAndAnswersStayUntilAcknowledged() throws Exception {
        String replies = replyQueue();
        publish(GPT, "/v1/chat/completions", "{}", Optional.of(replies), "c1");
        RequestQueue q = gateway();
        q.answer(q.take(GPT, 1).get(0), new QueuedRequest.Answer(200, "id", "{}"));
        assertThat(app().replies("another-app", replies, 10)).isEmpty();
        List<RequestMailbox.Reply> got = app().replies(OWNER.app(), replies, 10);
        assertThat(app().replies(OWNER.app(), replies, 10)).as("reading does not remove").hasSize(1);
        assertThat(app().acknowledge("another-app", replies, List.of(got.get(0).id()))).isZero();
        assertThat(app().acknowledge(OWNER.app(), replies, List.of(got.get(0).id()))).isEqualTo(1);
        assertThat(app().replies(OWNER.app(), replies, 10)).isEmpty();
    }
}
