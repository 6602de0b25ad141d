package dev.spillway.it;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fleet test's client and round-robin front in one: {@code rate} chats a second for {@code
 * duration}, request i to gateway i mod n, like nginx's round robin; a connection refused (the
 * replica is down) goes to the next gateway, as nginx's {@code proxy_next_upstream error} does,
 * since nothing was sent. One request in four is streamed, one in ten uses the metered key, except in
 * the last 2 s of each UTC minute: the ledger dates a request when the gateway received it and the
 * quota counts it in the minute it reserved, and these must agree for the per-minute check. At most
 * {@link #MAX_IN_FLIGHT} in flight (a request due while all are busy is not sent, and counted).
 * Loopback only; bounded by {@code duration}. Every outcome is kept with the time it was sent.
 *
 * <p>The requests go out on a Vert.x client on one event loop of its own (keep-alive pools per
 * gateway, a request given up after 20 s without a byte): java.net.http's client took about twice
 * the CPU per request, CPU the gateways under test then lack when all share a small box. One
 * thread paces the schedule and hands each request to the event loop; outcomes are recorded there.
 */
final class FleetLoad implements Runnable {
    static final int MAX_IN_FLIGHT = 512;
    /** 20 words of 12 characters: estimated at 64 prompt tokens, about 27 by a tokenizer. */
    static final String PROMPT = "information ".repeat(20).trim();
    static final int MAX_TOKENS = 8;
    /** The admission estimate of one chat: characters / 4 + 4 per message + max_tokens (docs/access.md). */
    static final long ESTIMATE = (PROMPT.length() + 3) / 4 + 4 + MAX_TOKENS;
    private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"([^\"]{0,100})");

    /** What the client saw of one request, sent and done at epoch ms; {@code requestId} is empty unless acknowledged. */
    record Outcome(long sentAtMs, long doneAtMs, int gateway, boolean streamed, boolean metered, String result, String requestId) {
        boolean acknowledged() { return !requestId.isEmpty(); }
    }

    final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    final AtomicInteger notSent = new AtomicInteger();
    final AtomicInteger rerouted = new AtomicInteger();
    private static final long TIMEOUT_MS = 20_000;
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    private final Context loop = vertx.getOrCreateContext();
    private final HttpClientAgent http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
            .setTcpNoDelay(true).setConnectTimeout(2_000), new PoolOptions().setHttp1MaxSize(MAX_IN_FLIGHT));
    private final List<String> gateways;
    private final String key;
    private final String meteredKey;
    private final int rate;
    private final Duration duration;
    private final Semaphore slots = new Semaphore(MAX_IN_FLIGHT);
    private volatile long clientCpuNanos;

    FleetLoad(List<String> gateways, String key, String meteredKey, int rate, Duration duration) {
        this.gateways = gateways.stream()
                .map(g -> g + "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21").toList();
        this.key = key;
        this.meteredKey = meteredKey;
        this.rate = rate;
        this.duration = duration;
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        for (long i = 0; ; i++) {
            long due = start + i * 1_000_000_000L / rate;
            if (due >= end) break;
            long wait = due - System.nanoTime();
            if (wait > 0) LockSupport.parkNanos(wait);
            if (!slots.tryAcquire()) {
                notSent.incrementAndGet();
                continue;
            }
            long now = System.currentTimeMillis();
            int gateway = (int) (i % gateways.size());
            boolean stream = i % 4 == 3;
            boolean metered = i % 10 == 9 && now % 60_000 < 58_000;
            loop.runOnContext(v -> send(gateway, stream, metered, now, 0));
        }
        try {
            if (!slots.tryAcquire(MAX_IN_FLIGHT, 60, TimeUnit.SECONDS)) throw new IllegalStateException("requests stuck");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Promise<Long> cpu = Promise.promise();
            loop.runOnContext(v -> cpu.complete(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime()));
            clientCpuNanos = cpu.future().await();
            vertx.close().await();
        }
    }

    /** CPU seconds the client's event loop used (requests and answers; after {@link #run}). */
    double clientCpuSeconds() {
        return clientCpuNanos / 1e9;
    }

    private void send(int gateway, boolean stream, boolean metered, long sentAt, int reroutes) {
        Buffer body = Buffer.buffer("{\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT
                + "\"}],\"max_tokens\":" + MAX_TOKENS + (stream ? ",\"stream\":true}" : "}"));
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(gateways.get(gateway))
                .setIdleTimeout(TIMEOUT_MS).putHeader("api-key", metered ? meteredKey : key)
                .putHeader("content-type", "application/json");
        http.request(request).compose(r -> r.send(body)).compose(r -> r.body().map(b -> outcome(sentAt, gateway,
                stream, metered, r, b))).onComplete((outcome, e) -> {
                    if (e instanceof ConnectException && reroutes < gateways.size() - 1) {
                        rerouted.incrementAndGet();
                        send((gateway + 1) % gateways.size(), stream, metered, sentAt, reroutes + 1);
                        return;
                    }
                    outcomes.add(e == null ? outcome : failed(sentAt, gateway, stream, metered, e));
                    slots.release();
                });
    }

    /** The error envelope's message, digits blanked so that like errors count together. */
    private static String reason(String body) {
        Matcher m = MESSAGE.matcher(body);
        return m.find() ? m.group(1).replaceAll("[0-9]+", "N") : "";
    }

    private static Outcome failed(long sentAt, int gateway, boolean stream, boolean metered, Throwable e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage().replaceAll("[0-9]+", "N");
        return new Outcome(sentAt, System.currentTimeMillis(), gateway, stream, metered, e.getClass().getSimpleName()
                + message.substring(0, Math.min(message.length(), 60)), "");
    }

    private static Outcome outcome(long sentAt, int gateway, boolean stream, boolean metered, HttpClientResponse r,
            Buffer buffer) {
        String body = buffer.toString(StandardCharsets.UTF_8);
        boolean complete = r.statusCode() == 200 && (!stream || body.contains("data: [DONE]"));
        String result = complete ? "200" : r.statusCode() == 200 ? "200 unfinished stream"
                : r.statusCode() == 429 ? "429" : r.statusCode() + " " + reason(body);
        String requestId = r.getHeader("x-spillway-request-id");
        return new Outcome(sentAt, System.currentTimeMillis(), gateway, stream, metered, result,
                complete && requestId != null ? requestId : "");
    }
}
