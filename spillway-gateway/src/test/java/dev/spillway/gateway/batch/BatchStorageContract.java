package dev.spillway.gateway.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract every adapter of the batch lane's ports (queue and store) passes. */
public abstract class BatchStorageContract {
    protected static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    protected static final Instant ENQUEUED = T0.minusSeconds(60);
    protected static final Duration LEASE = Duration.ofMinutes(5);
    protected static final Set<String> GPT = Set.of("gpt-4o");
    protected BatchStorage storage;
    protected BatchQueue queue;
    protected BatchStore store;

    /** A fresh, empty storage; closed after each test. */
    protected abstract BatchStorage open() throws Exception;

    @BeforeEach
    void openStorage() throws Exception {
        storage = open();
        queue = storage.queue();
        store = storage.store();
    }

    @AfterEach
    void closeStorage() {
        if (storage != null) storage.close();
    }

    protected static QueuedLine line(String batch, int no, String app) {
        return new QueuedLine(batch, no, app, "gpt-4o", "req-" + no, "{\"model\":\"gpt-4o\"}", ENQUEUED.plusMillis(no),
                T0.plus(Duration.ofHours(24)), Optional.empty());
    }

    private List<QueuedLine> lines(String batch, int n, String app) {
        List<QueuedLine> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) out.add(line(batch, i, app));
        return out;
    }

    @Test
    void claimedLinesAreNotClaimedAgainWhileTheirLeaseLasts() throws Exception {
        queue.enqueue(lines("b1", 3, "app"));
        List<Lease> first = queue.claim("app", GPT, 2, T0, LEASE);
        List<Lease> second = queue.claim("app", GPT, 5, T0.plusSeconds(1), LEASE);
        assertThat(first).extracting(Lease::lineNo).containsExactly(1, 2);
        assertThat(second).extracting(Lease::lineNo).containsExactly(3);
        assertThat(queue.claim("app", GPT, 5, T0.plusSeconds(2), LEASE)).isEmpty();
        assertThat(first.get(0).attempts()).isEqualTo(1);
        assertThat(first.get(0).customId()).isEqualTo("req-1");
        assertThat(first.get(0).body()).isEqualTo("{\"model\":\"gpt-4o\"}");
    }

    @Test
    void aLineWhoseLeaseExpiredIsClaimedAgainAndTheLostLeaseWritesNothing() throws Exception {
        queue.enqueue(lines("b1", 1, "app"));
        Lease crashed = queue.claim("app", GPT, 1, T0, LEASE).get(0);
        Lease retry = queue.claim("app", GPT, 1, T0.plus(LEASE), LEASE).get(0);
        assertThat(retry.attempts()).isEqualTo(2);
        assertThat(queue.finish(crashed, LineState.SUCCEEDED, "{\"late\":true}", T0.plus(LEASE))).isFalse();
        assertThat(queue.finish(retry, LineState.SUCCEEDED, "{\"answer\":1}", T0.plus(LEASE))).isTrue();
        assertThat(queue.ended("b1")).singleElement()
                .satisfies(l -> assertThat(l.output()).contains("{\"answer\":1}"));
    }

    @Test
    void aLineEndsOnceAndASecondFinishIsRefused() throws Exception {
        queue.enqueue(lines("b1", 1, "app"));
        Lease lease = queue.claim("app", GPT, 1, T0, LEASE).get(0);
        assertThat(queue.finish(lease, LineState.FAILED, "{\"error\":1}", T0)).isTrue();
        assertThat(queue.finish(lease, LineState.SUCCEEDED, "{\"answer\":2}", T0)).isFalse();
        assertThat(queue.release(lease, T0)).isFalse();
        assertThat(queue.counts("b1")).isEqualTo(new LineCounts(0, 0, 0, 1, 0, 0));
    }

    @Test
    void aReleasedLineWaitsUntilItIsDue() throws Exception {
        queue.enqueue(lines("b1", 1, "app"));
        Lease lease = queue.claim("app", GPT, 1, T0, LEASE).get(0);
        assertThat(queue.release(lease, T0.plusSeconds(10))).isTrue();
        assertThat(queue.claim("app", GPT, 1, T0.plusSeconds(9), LEASE)).isEmpty();
        assertThat(queue.claim("app", GPT, 1, T0.plusSeconds(10), LEASE)).hasSize(1);
    }

    @Test
    void enqueueingALineTwiceKeepsTheFirst() throws Exception {
        queue.enqueue(lines("b1", 2, "app"));
        Lease lease = queue.claim("app", GPT, 1, T0, LEASE).get(0);
        queue.finish(lease, LineState.SUCCEEDED, "{}", T0);
        queue.enqueue(lines("b1", 3, "app"));
        assertThat(queue.counts("b1")).isEqualTo(new LineCounts(2, 0, 1, 0, 0, 0));
    }

    @Test
    void linesThatFailedValidationEnterEndedAndAreNeverClaimed() throws Exception {
        QueuedLine bad = new QueuedLine("b1", 1, "app", "gpt-4o", "bad", "", T0, T0.plus(Duration.ofHours(24)),
                Optional.of("{\"error\":\"invalid\"}"));
        queue.enqueue(List.of(bad, line("b1", 2, "app")));
        assertThat(queue.claim("app", GPT, 5, T0, LEASE)).extracting(Lease::lineNo).containsExactly(2);
        assertThat(queue.ended("b1")).singleElement().satisfies(l -> {
            assertThat(l.state()).isEqualTo(LineState.FAILED);
            assertThat(l.output()).contains("{\"error\":\"invalid\"}");
        });
    }

    @Test
    void endingWaitingLinesLeavesLiveLeasesToFinish() throws Exception {
        queue.enqueue(lines("b1", 3, "app"));
        Lease live = queue.claim("app", GPT, 1, T0, LEASE).get(0);
        assertThat(queue.endWaiting("b1", LineState.CANCELLED, T0.plusSeconds(1))).isEqualTo(2);
        assertThat(queue.claim("app", GPT, 5, T0.plusSeconds(2), LEASE)).isEmpty();
        assertThat(queue.finish(live, LineState.SUCCEEDED, "{}", T0.plusSeconds(3))).isTrue();
        assertThat(queue.counts("b1")).isEqualTo(new LineCounts(0, 0, 1, 0, 2, 0));
        assertThat(queue.ended("b1")).extracting(EndedLine::lineNo).containsExactly(1, 2, 3);
    }

    @Test
    void endingWaitingLinesAlsoEndsLinesWhoseLeaseExpired() throws Exception {
        queue.enqueue(lines("b1", 1, "app"));
        queue.claim("app", GPT, 1, T0, LEASE);
        assertThat(queue.endWaiting("b1", LineState.EXPIRED, T0.plus(LEASE))).isEqualTo(1);
        assertThat(queue.counts("b1").expired()).isEqualTo(1);
    }

    @Test
    void linesPastTheirBatchExpiryAreNotClaimed() throws Exception {
        queue.enqueue(lines("b1", 1, "app"));
        assertThat(queue.claim("app", GPT, 1, T0.plus(Duration.ofHours(24)), LEASE)).isEmpty();
        assertThat(queue.readyApps(GPT, T0.plus(Duration.ofHours(24)))).isEmpty();
    }

    @Test
    void readyAppsListsTheLongestWaitingFirstAndOnlyForTheGivenDeployments() throws Exception {
        queue.enqueue(List.of(line("b2", 5, "late")));
        queue.enqueue(List.of(line("b1", 1, "early")));
        queue.enqueue(List.of(new QueuedLine("b3", 1, "other", "embeddings", "e", "{}", T0,
                T0.plus(Duration.ofHours(24)), Optional.empty())));
        assertThat(queue.readyApps(GPT, T0.plusSeconds(1))).containsExactly("early", "late");
        assertThat(queue.readyApps(Set.of("embeddings"), T0.plusSeconds(1))).containsExactly("other");
        assertThat(queue.claim("early", Set.of("embeddings"), 5, T0.plusSeconds(1), LEASE)).isEmpty();
    }

    @Test
    void statsCountWaitingAndInFlightLinesAndTheOldest() throws Exception {
        assertThat(queue.stats()).isEqualTo(new QueueStats(0, Optional.empty()));
        queue.enqueue(lines("b1", 3, "app"));
        Lease lease = queue.claim("app", GPT, 1, T0, LEASE).get(0);
        queue.finish(lease, LineState.SUCCEEDED, "{}", T0);
        assertThat(queue.stats()).isEqualTo(new QueueStats(2, Optional.of(ENQUEUED.plusMillis(2))));
    }

    @Test
    void concurrentClaimsNeverHandOutALineTwice() throws Exception {
        queue.enqueue(lines("b1", 200, "app"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<List<Lease>>> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                workers.add(() -> {
                    List<Lease> mine = new ArrayList<>();
                    for (int round = 0; round < 200; round++) {
                        List<Lease> got = queue.claim("app", GPT, 7, T0, LEASE);
                        if (got.isEmpty()) break;
                        mine.addAll(got);
                    }
                    return mine;
                });
            }
            List<Integer> all = new ArrayList<>();
            for (Future<List<Lease>> f : pool.invokeAll(workers, 60, TimeUnit.SECONDS)) {
                f.get().forEach(l -> all.add(l.lineNo()));
            }
            assertThat(all).hasSize(200).doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
        }
    }

    protected static BatchRecord batch(String id, String app, Instant created) {
        BatchOwner owner = new BatchOwner("key", app, "team", "", "sk-spw-abc", Optional.of("k1"), Set.of(), false);
        return new BatchRecord(id, owner, "/v1/chat/completions", "file-1", "24h", "{\"a\":\"b\"}",
                BatchStatus.VALIDATING, created, created.plus(Duration.ofHours(24)), java.util.Map.of(),
                Optional.empty(), Optional.empty(), List.of(), Optional.empty());
    }

    @Test
    void aBatchMovesOnlyFromTheStatusItIsIn() throws Exception {
        BatchRecord b = batch("batch_1", "app", T0);
        store.insertBatch(b);
        BatchRecord running = b.moved(BatchStatus.IN_PROGRESS, T0.plusSeconds(5));
        assertThat(store.transition(BatchStatus.VALIDATING, running)).isTrue();
        assertThat(store.transition(BatchStatus.VALIDATING, running)).isFalse();
        BatchRecord read = store.batch("batch_1").orElseThrow();
        assertThat(read).isEqualTo(running);
        assertThat(store.unfinished()).extracting(BatchRecord::id).containsExactly("batch_1");
        BatchRecord done = running.moved(BatchStatus.COMPLETED, T0.plusSeconds(9))
                .finalized(Optional.of("file-out"), Optional.empty(), new BatchRecord.RequestCounts(3, 3, 0));
        assertThat(store.transition(BatchStatus.IN_PROGRESS, done)).isTrue();
        assertThat(store.batch("batch_1")).contains(done);
        assertThat(store.unfinished()).isEmpty();
    }

    @Test
    void batchesAndFilesAreListedPerAppNewestFirstAfterACursor() throws Exception {
        for (int i = 1; i <= 3; i++) {
            store.insertBatch(batch("batch_" + i, "app", T0.plusSeconds(i)));
            store.insertFile(new StoredFile("file-" + i, "app", StoredFile.BATCH, "in.jsonl", 2, T0.plusSeconds(i),
                    Optional.empty()), new byte[] {'{', '}'});
        }
        store.insertBatch(batch("batch_x", "other", T0));
        assertThat(store.batches("app", 2, Optional.empty())).extracting(BatchRecord::id)
                .containsExactly("batch_3", "batch_2");
        assertThat(store.batches("app", 5, Optional.of("batch_2"))).extracting(BatchRecord::id)
                .containsExactly("batch_1");
        assertThat(store.recent(2)).extracting(BatchRecord::id).containsExactly("batch_3", "batch_2");
        assertThat(store.recent(10)).extracting(BatchRecord::id).contains("batch_x");
        assertThat(store.files("app", Optional.of(StoredFile.BATCH), 5, Optional.of("file-3")))
                .extracting(StoredFile::id).containsExactly("file-2", "file-1");
        assertThat(store.files("app", Optional.of(StoredFile.BATCH_OUTPUT), 5, Optional.empty())).isEmpty();
        assertThat(store.content("file-2")).hasValueSatisfying(c -> assertThat(c).containsExactly('{', '}'));
        assertThat(store.file("file-9")).isEmpty();
    }
}
