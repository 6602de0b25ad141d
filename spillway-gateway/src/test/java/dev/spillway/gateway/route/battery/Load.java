package dev.spillway.gateway.route.battery;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * A bounded load generator for the battery: a fixed number of requests (or until a time limit),
 * at most {@code concurrency} in flight, to 127.0.0.1 only. Collects status counts and the bodies
 * of streamed answers for inspection. Thread-safe.
 */
final class Load {
    static final String KEY = "sk-battery-0123456789abcdef0123456789abcdef";
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    final ConcurrentHashMap<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<String> bodies = new ConcurrentLinkedQueue<>();
    final AtomicInteger transportErrors = new AtomicInteger();
    final AtomicInteger sent = new AtomicInteger();

    static String chatBody(boolean stream, int maxTokens) {
        return "{\"messages\":[{\"role\":\"user\",\"content\":\"Say something about spillways.\"}],\"max_tokens\":"
                + maxTokens + (stream ? ",\"stream\":true" : "") + "}";
    }

    /** Sends {@code count} requests (stopping early at {@code limit}); {@code paceMillis} > 0 spaces them out. */
    void run(String baseUrl, String body, int count, int concurrency, long paceMillis, Duration limit,
             IntSupplier stopEarly) throws InterruptedException {
        Semaphore slots = new Semaphore(concurrency);
        long end = System.nanoTime() + limit.toNanos();
        URI uri = URI.create(baseUrl + "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21");
        for (int i = 0; i < count && System.nanoTime() < end && stopEarly.getAsInt() == 0; i++) {
            if (!slots.tryAcquire(Math.max(1, (end - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS)) break;
            sent.incrementAndGet();
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("api-key", KEY).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                if (e != null) transportErrors.incrementAndGet();
                else {
                    statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                    if (body.contains("\"stream\":true")) bodies.add(r.body());
                }
                slots.release();
            });
            if (paceMillis > 0) Thread.sleep(paceMillis);
        }
        slots.acquire(concurrency);
        slots.release(concurrency);
    }

    int count(int status) {
        AtomicInteger n = statuses.get(status);
        return n == null ? 0 : n.get();
    }

    int completed() {
        return statuses.values().stream().mapToInt(AtomicInteger::get).sum() + transportErrors.get();
    }
}
