package dev.spillway.it;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final List<URI> gateways;
    private final String key;
    private final String meteredKey;
    private final int rate;
    private final Duration duration;
    private final Semaphore slots = new Semaphore(MAX_IN_FLIGHT);

    FleetLoad(List<String> gateways, String key, String meteredKey, int rate, Duration duration) {
        this.gateways = gateways.stream()
                .map(g -> URI.create(g + "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21")).toList();
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
            send((int) (i % gateways.size()), i % 4 == 3, i % 10 == 9 && now % 60_000 < 58_000, now, 0);
        }
        try {
            if (!slots.tryAcquire(MAX_IN_FLIGHT, 60, TimeUnit.SECONDS)) throw new IllegalStateException("requests stuck");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(int gateway, boolean stream, boolean metered, long sentAt, int reroutes) {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}],\"max_tokens\":" + MAX_TOKENS
                + (stream ? ",\"stream\":true}" : "}");
        HttpRequest request = HttpRequest.newBuilder(gateways.get(gateway)).timeout(Duration.ofSeconds(20))
                .header("api-key", metered ? meteredKey : key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
            if (e != null && e.getCause() instanceof ConnectException && reroutes < gateways.size() - 1) {
                rerouted.incrementAndGet();
                send((gateway + 1) % gateways.size(), stream, metered, sentAt, reroutes + 1);
                return;
            }
            outcomes.add(outcome(sentAt, gateway, stream, metered, r, e));
            slots.release();
        });
    }

    /** The error envelope's message, digits blanked so that like errors count together. */
    private static String reason(String body) {
        Matcher m = MESSAGE.matcher(body);
        return m.find() ? m.group(1).replaceAll("[0-9]+", "N") : "";
    }

    private static Outcome outcome(long sentAt, int gateway, boolean stream, boolean metered, HttpResponse<String> r,
            Throwable e) {
        if (e != null) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String message = cause.getMessage() == null ? "" : ": " + cause.getMessage().replaceAll("[0-9]+", "N");
            return new Outcome(sentAt, System.currentTimeMillis(), gateway, stream, metered, cause.getClass().getSimpleName()
                    + message.substring(0, Math.min(message.length(), 60)), "");
        }
        boolean complete = r.statusCode() == 200 && (!stream || r.body().contains("data: [DONE]"));
        String result = complete ? "200" : r.statusCode() == 200 ? "200 unfinished stream"
                : r.statusCode() == 429 ? "429" : r.statusCode() + " " + reason(r.body());
        return new Outcome(sentAt, System.currentTimeMillis(), gateway, stream, metered, result,
                complete ? r.headers().firstValue("x-spillway-request-id").orElse("") : "");
    }
}
