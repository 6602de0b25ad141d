package dev.spillway.gateway.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.DataSize;
import dev.spillway.gateway.batch.BatchConfig.AppSettings;
import dev.spillway.gateway.batch.BatchConfig.PayAsYouGo;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Pipeline;
import dev.spillway.gateway.pipeline.Priority;
import dev.spillway.gateway.pipeline.Reply;
import dev.spillway.core.testkit.FakeClock;
import dev.spillway.store.jdbc.Database;
import dev.spillway.store.jdbc.batch.JdbcBatchStorageProvider;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler on the SQLite queue with a recording pipeline: fair shares between apps, per-app
 * caps, PTU headroom and the pay-as-you-go rules. Time is a fake clock; rounds run by {@code tick()}.
 */
class BatchSchedulerTest {
    @TempDir
    Path dir;
    private final FakeClock clock = new FakeClock();
    private final Vertx vertx = Vertx.vertx();
    private final List<Exchange> seen = new CopyOnWriteArrayList<>();
    private final Set<String> room = ConcurrentHashMap.newKeySet();
    private BatchStorage storage;
    private final LaneStats stats = new LaneStats(clock);
    private final Headroom headroom = new Headroom() {
        @Override
        public Set<String> deploymentsWithRoom(long now) {
            return Set.copyOf(room);
        }

        @Override
        public double ptuUtilizationPercent(long now) {
            return room.isEmpty() ? 97 : 40;
        }
    };
    private final Pipeline pipeline = new Pipeline(List.of(), exchange -> {
        seen.add(exchange);
        return Future.succeededFuture(Reply.json(200, Buffer.buffer("{\"ok\":true}")));
    });

    @BeforeEach
    void open() {
        storage = JdbcBatchStorageProvider.of(Database.open("jdbc:sqlite:" + dir.resolve("q.db"), Optional.empty(),
                Optional.empty(), 4));
        room.add("gpt-4o");
    }

    @AfterEach
    void close() throws Exception {
        storage.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private BatchScheduler scheduler(int maxInFlight, PayAsYouGo payg, AppSettings... apps) {
        Map<String, AppSettings> byApp = new java.util.HashMap<>();
        for (AppSettings a : apps) byApp.put(a.app(), a);
        BatchConfig config = new BatchConfig(true, DataSize.ofMebibytes(1), 1000, Duration.ofMinutes(5),
                Duration.ofHours(1), maxInFlight, maxInFlight, 4, 3, 90, payg, Duration.ofHours(2), byApp, java.util.Optional.empty());
        return new BatchScheduler(config, storage, new BatchProgress(storage, "gpt-4o"::equals, clock, stats),
                new LineRunner(pipeline, clock, () -> UUID.randomUUID().toString(), config), headroom,
                Set.of("gpt-4o"), vertx, clock, stats, new LaneConcurrency(maxInFlight, maxInFlight, 90, clock));
    }

    /** An app's batch of {@code lines} chat requests, stored as the API would. */
    private String submit(String app, int lines) throws Exception {
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            jsonl.append("{\"custom_id\":\"").append(app).append(i).append("\",\"method\":\"POST\",\"url\":")
                    .append("\"/v1/chat/completions\",\"body\":{\"model\":\"gpt-4o\",\"messages\":[]}}\n");
        }
        String fileId = "file-" + app + UUID.randomUUID();
        storage.store().insertFile(new StoredFile(fileId, app, StoredFile.BATCH, "in.jsonl", jsonl.length(),
                clock.instant(), Optional.empty()), jsonl.toString().getBytes(StandardCharsets.UTF_8));
        BatchOwner owner = new BatchOwner("k", app, "", "", "", Optional.empty(), Set.of(), false);
        String id = "batch_" + app + UUID.randomUUID().toString().replace("-", "");
        storage.store().insertBatch(new BatchRecord(id, owner, "/v1/chat/completions", fileId, "24h", "null",
                BatchStatus.VALIDATING, clock.instant(), clock.instant().plus(Duration.ofHours(24)), Map.of(),
                Optional.empty(), Optional.empty(), List.of(), Optional.empty()));
        clock.advanceMillis(1);
        return id;
    }

    private void tick(BatchScheduler s) throws Exception {
        s.tick().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private long ran(String app) {
        return seen.stream().filter(e -> e.caller().app().equals(app)).count();
    }

    private BatchStatus status(String id) throws Exception {
        return storage.store().batch(id).orElseThrow().status();
    }

    @Test
    void aLargeBatchDoesNotStarveAnotherAppsSmallOne() throws Exception {
        BatchScheduler s = scheduler(4, PayAsYouGo.NEVER);
        submit("big", 50);
        String small = submit("small", 3);
        tick(s);
        assertThat(ran("big")).isEqualTo(2);
        assertThat(ran("small")).isEqualTo(2);
        tick(s);
        tick(s);
        assertThat(ran("small")).isEqualTo(3);
        assertThat(status(small)).isEqualTo(BatchStatus.COMPLETED);
        assertThat(ran("big")).isLessThan(50);
        assertThat(seen).allSatisfy(e -> assertThat(e.priority()).isEqualTo(Priority.BATCH));
    }

    @Test
    void anAppNeverRunsMoreLinesAtOnceThanItsCap() throws Exception {
        BatchScheduler s = scheduler(8, PayAsYouGo.NEVER, new AppSettings("capped", 1, PayAsYouGo.NEVER, Priority.INTERACTIVE));
        submit("capped", 10);
        submit("free", 10);
        tick(s);
        assertThat(ran("capped")).isEqualTo(1);
        assertThat(ran("free")).isEqualTo(4);
    }

    @Test
    void queuedLinesWaitWhileThePtuTierHasNoHeadroomAndNeverSpillUnderNever() throws Exception {
        BatchScheduler s = scheduler(4, PayAsYouGo.NEVER);
        String id = submit("app", 2);
        room.clear();
        tick(s);
        assertThat(seen).isEmpty();
        assertThat(status(id)).isEqualTo(BatchStatus.IN_PROGRESS);
        assertThat(stats.ptuUtilizationWithoutQueuedWork()).as("read each round").isEqualTo(97);
        room.add("gpt-4o");
        tick(s);
        assertThat(seen).hasSize(2).allSatisfy(e -> assertThat(e.firstTierOnly()).isTrue());
    }

    @Test
    void alwaysSpillsToPayAsYouGoWithoutWaitingForHeadroom() throws Exception {
        BatchScheduler s = scheduler(4, PayAsYouGo.NEVER, new AppSettings("urgent", 4, PayAsYouGo.ALWAYS, Priority.INTERACTIVE));
        submit("urgent", 2);
        submit("patient", 2);
        room.clear();
        tick(s);
        assertThat(ran("urgent")).isEqualTo(2);
        assertThat(ran("patient")).isZero();
        assertThat(seen).allSatisfy(e -> assertThat(e.firstTierOnly()).isFalse());
    }

    @Test
    void deadlineAtRiskSpillsOnlyWithinTheMarginOfTheCompletionWindow() throws Exception {
        BatchScheduler s = scheduler(4, PayAsYouGo.DEADLINE_AT_RISK);
        submit("app", 4);
        room.clear();
        tick(s);
        clock.advance(Duration.ofHours(21));
        tick(s);
        assertThat(seen).isEmpty();
        clock.advance(Duration.ofHours(1));
        tick(s);
        assertThat(seen).hasSize(4).allSatisfy(e -> assertThat(e.firstTierOnly()).isFalse());
    }
}
