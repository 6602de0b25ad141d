package dev.spillway.gateway.batch;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.access.Authenticator;
import dev.spillway.gateway.config.DeploymentConfig;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.pipeline.Pipeline;
import dev.spillway.gateway.route.pool.Pools;
import dev.spillway.gateway.server.ErrorWriter;
import dev.spillway.gateway.server.RequestIds;
import dev.spillway.gateway.telemetry.GatewayMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The low-priority lane of one gateway: the Files and Batches API, the batch store and queues on
 * {@code gateway.database} (from {@code spillway-store-jdbc}), the scheduler that feeds queued
 * lines to the gateway's pipeline while the PTU tier has headroom, and the {@link MessageLane} that
 * does the same for requests from the message queue: RabbitMQ with {@code batch.rabbitmq} (from
 * {@code spillway-store-rabbitmq}), otherwise the embedded queue in the database, which apps reach
 * through {@link RequestQueueApi}. Both share this gateway's slots ({@link LaneConcurrency}).
 * Without a database module, or with {@code batch.enabled: false}, the APIs answer 404 saying so.
 * Thread-safe; closed with the gateway.
 */
public final class BatchLane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchLane.class);
    private final Vertx vertx;
    private final BatchConfig config;
    private final Optional<BatchStorage> storage;
    private final Optional<BatchApi> api;
    private final Optional<RequestQueueApi> queueApi;
    private final Optional<BatchScheduler> scheduler;
    private final Optional<MessageLane> messages;
    private final Optional<Rounds> rounds;
    private volatile long timer = -1;

    /** What each round reads before the lanes claim: the headroom, into the shared slots. */
    private record Rounds(LaneConcurrency slots, Headroom headroom, Clock clock) {
        void read() {
            long now = clock.millis();
            slots.round(!headroom.deploymentsWithRoom(now).isEmpty(), headroom.ptuUtilizationPercent(now));
        }
    }

    private BatchLane(Vertx vertx, BatchConfig config, Optional<BatchStorage> storage, Optional<BatchApi> api,
            Optional<RequestQueueApi> queueApi, Optional<BatchScheduler> scheduler, Optional<MessageLane> messages,
            Optional<Rounds> rounds) {
        this.vertx = vertx;
        this.config = config;
        this.storage = storage;
        this.api = api;
        this.queueApi = queueApi;
        this.scheduler = scheduler;
        this.messages = messages;
        this.rounds = rounds;
    }

    /** What opening found: the database store, and the broker when {@code batch.rabbitmq} is set. */
    private record Found(Optional<BatchStorage> storage, Optional<RequestQueue> broker) {
    }

    /**
     * Opens the lane's storage (blocking: on a worker) and builds it. {@code lines} is the pipeline
     * batch lines run through (it identifies callers by the owner set on each line);
     * {@code authenticator} names the one of the config in force, which identifies API callers from
     * their headers.
     */
    public static Future<BatchLane> open(Vertx vertx, GatewayConfig gateway, Supplier<Pools> pools, Pipeline lines,
            Supplier<Authenticator> authenticator, Clock clock, GatewayMetrics metrics) {
        BatchConfig config = gateway.batch();
        if (!config.enabled()) return Future.succeededFuture(off(vertx, config));
        Set<String> deployments = Set.copyOf(gateway.deployments().stream().map(DeploymentConfig::name).toList());
        return vertx.executeBlocking(() -> {
            Optional<RequestQueue> broker = broker(config, deployments); // first: the likelier to fail
            return new Found(storage(gateway, clock), broker);
        }, false).map(found -> build(vertx, gateway, pools, lines, authenticator, clock, metrics, deployments, found));
    }

    private static BatchLane build(Vertx vertx, GatewayConfig gateway, Supplier<Pools> pools, Pipeline lines,
            Supplier<Authenticator> authenticator, Clock clock, GatewayMetrics metrics, Set<String> deployments,
            Found found) {
        BatchConfig config = gateway.batch();
        LineRunner runner = new LineRunner(lines, clock, () -> RequestIds.next(clock), config);
        Headroom headroom = new PtuHeadroom(pools, List.copyOf(deployments), config.utilizationLimit());
        LaneConcurrency slots = new LaneConcurrency(config.minInFlight(), config.maxInFlight(),
                config.utilizationLimit(), clock);
        metrics.bind("spillway.batch.concurrency.limit", "Lines and queued requests this gateway may run at once now, "
                + "sized from the PTU headroom", slots, LaneConcurrency::limit);
        Optional<RequestQueue> queue = found.broker().or(() -> found.storage().map(BatchStorage::requests));
        String source = config.rabbitmq().map(r -> "rabbitmq:" + r.exchange()).orElse("queue");
        Optional<MessageLane> messages = queue.map(q -> new MessageLane(config,
                config.rabbitmq().flatMap(RabbitConfig::identity), source, q, runner, headroom, deployments,
                authenticator, vertx, clock, slots));
        messages.ifPresent(m -> metrics.bind("spillway.batch.queued.requests.in.flight",
                "Requests from the message queue running in this gateway", m, MessageLane::inFlight));
        Optional<Rounds> rounds = Optional.of(new Rounds(slots, headroom, clock));
        if (found.storage().isEmpty()) {
            return new BatchLane(vertx, config, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    messages, rounds);
        }
        BatchStorage s = found.storage().get();
        LaneStats stats = new LaneStats(clock);
        bind(metrics, stats);
        BatchProgress progress = new BatchProgress(s, d -> gateway.deployment(d).isPresent(), clock, stats);
        BatchScheduler scheduler = new BatchScheduler(config, s, progress, runner, headroom, deployments, vertx, clock,
                stats, slots);
        BatchApi api = new BatchApi(vertx, new BatchService(config, s, clock), authenticator, config);
        Optional<RequestQueueApi> queueApi = found.broker().isPresent() ? Optional.empty()
                : Optional.of(new RequestQueueApi(vertx, s.requests(), authenticator, deployments,
                        gateway.maxBodySize().bytes()));
        metrics.bind("spillway.batch.lines.in.flight", "Batch lines running in this gateway", scheduler,
                BatchScheduler::inFlight);
        return new BatchLane(vertx, config, Optional.of(s), Optional.of(api), queueApi, Optional.of(scheduler),
                messages, rounds);
    }

    private static BatchLane off(Vertx vertx, BatchConfig config) {
        return new BatchLane(vertx, config, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /** The broker of {@code batch.rabbitmq}; configured without the RabbitMQ module is a start-up error. */
    private static Optional<RequestQueue> broker(BatchConfig config, Set<String> deployments) throws Exception {
        if (config.rabbitmq().isEmpty()) return Optional.empty();
        RequestQueueProvider provider = ServiceLoader.load(RequestQueueProvider.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("gateway.batch.rabbitmq needs the RabbitMQ module "
                        + "(spillway-store-rabbitmq) on the class path"));
        return Optional.of(provider.open(config.rabbitmq().get(), deployments));
    }

    private static Optional<BatchStorage> storage(GatewayConfig gateway, Clock clock) {
        Optional<BatchStorage> found = ServiceLoader.load(BatchStorageProvider.class).findFirst()
                .map(p -> p.open(gateway.access().database(), clock, gateway.batch().lease()));
        if (found.isEmpty()) {
            LOG.warn("no batch store module (spillway-store-jdbc) on the class path: the batch API and the embedded"
                    + " message queue are off");
        }
        return found;
    }

    private static void bind(GatewayMetrics metrics, LaneStats stats) {
        metrics.bind("spillway.batch.queue.depth", "Batch lines waiting or running, over all replicas", stats,
                LaneStats::depth);
        metrics.bind("spillway.batch.queue.oldest.age.seconds", "Age of the oldest waiting or running batch line",
                stats, LaneStats::oldestAgeSeconds);
        metrics.bind("spillway.batch.ptu.utilization.with.queued.work", "PTU utilization percent, averaged over "
                + "scheduler rounds while batch lines ran", stats, LaneStats::ptuUtilizationWithQueuedWork);
        metrics.bind("spillway.batch.ptu.utilization.without.queued.work", "PTU utilization percent, averaged over "
                + "scheduler rounds while no batch line ran", stats, LaneStats::ptuUtilizationWithoutQueuedWork);
        FunctionCounter.builder("spillway.batch.lines.ended", stats, LaneStats::linesEnded)
                .description("Batch lines this gateway ran to an end; its rate is lines per second")
                .register(metrics.registry());
    }

    /** Whether {@code path} belongs to the Files or Batches API or to the message queue's HTTP way in. */
    public boolean owns(String path) {
        return BatchApi.owns(path) || RequestQueueApi.owns(path);
    }

    public void handle(HttpServerRequest request) {
        boolean queue = RequestQueueApi.owns(request.path());
        if (queue && queueApi.isPresent()) {
            queueApi.get().handle(request);
        } else if (!queue && api.isPresent()) {
            api.get().handle(request);
        } else {
            ErrorWriter.write(request.response(), new SpillwayException.NotFound("NotFound", (queue
                    ? "The message queue's HTTP way in is off on this gateway: " : "The Files and Batches API is off on"
                    + " this gateway: ") + offBecause(queue) + "."), "");
        }
    }

    private String offBecause(boolean queue) {
        if (!config.enabled()) return "gateway.batch.enabled is false";
        if (queue && config.rabbitmq().isPresent()) {
            return "the queue is RabbitMQ (gateway.batch.rabbitmq); publish to its exchange '"
                    + config.rabbitmq().get().exchange() + "' over AMQP";
        }
        return "it needs the database module (spillway-store-jdbc)";
    }

    /** Starts the scheduler's rounds every {@code poll-interval}. */
    public void start() {
        if (scheduler.isEmpty() && messages.isEmpty()) return;
        timer = vertx.setPeriodic(config.pollInterval().toMillis(), id -> tick());
    }

    /**
     * One round now: the headroom read into the shared slots, then the scheduler and the message
     * lane (tests drive the lane this way, with an injected clock).
     */
    public Future<Void> tick() {
        rounds.ifPresent(Rounds::read);
        return Future.join(scheduler.map(BatchScheduler::tick).orElse(Future.succeededFuture()),
                messages.map(MessageLane::tick).orElse(Future.succeededFuture())).mapEmpty();
    }

    @Override
    public void close() {
        if (timer >= 0) vertx.cancelTimer(timer);
        messages.ifPresent(MessageLane::close);
        storage.ifPresent(BatchStorage::close);
    }
}
