package dev.spillway.core.net;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Applies {@link ListenerLimits} to one listener (all its event-loop servers): connections over the
 * listener's or one address's cap are closed as they are accepted, and a connection that has not
 * delivered a request's complete headers within the header (or keep-alive) timeout is closed. The
 * deadline is set when a connection opens and when a response ends, cleared when the next
 * request's headers are complete; bytes trickling in do not move it, unlike an idle timeout.
 * Thread-safe; one per listener, shared by its event loops.
 *
 * <p>Implementation notes: counts are taken in the connection handler, which Vert.x calls on the
 * connection's event loop before any of its requests, and given back in its close handler; a
 * refused connection is counted too until it closes, so counts never go negative. Per-address
 * counts change with atomic map operations ({@code merge}, {@code computeIfPresent}), so an entry
 * dropped at zero is never one another event loop just incremented. Each connection's
 * {@link Watch} lives in {@link #watches} from accept to close and is only touched on that
 * connection's event loop. A request moves its deadline, not its timer: the one timer a connection
 * has at a time checks the deadline when it fires and re-arms for what is left, so a keep-alive
 * connection under load schedules about one timer per timeout period instead of one per request.
 */
public final class ConnectionGuard {
    /** File descriptors a process keeps for everything but client connections (files, backends). */
    static final int RESERVED_DESCRIPTORS = 1024;

    private final Vertx vertx;
    private final ListenerLimits limits;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();
    private final Map<HttpConnection, Watch> watches = new ConcurrentHashMap<>();

    public ConnectionGuard(Vertx vertx, ListenerLimits limits) {
        this.vertx = vertx;
        this.limits = limits;
    }

    /**
     * Refuses limits this process cannot keep: a listener allowed more connections than the file
     * descriptor limit leaves room for fails with "Too many open files" under a flood instead.
     */
    public static void checkDescriptors(String listener, ListenerLimits limits) {
        if (!(ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os)) {
            return;
        }
        long max = os.getMaxFileDescriptorCount();
        long needed = (long) limits.maxConnections() + RESERVED_DESCRIPTORS;
        if (max < needed) {
            throw new IllegalStateException(listener + ".listener.max-connections is " + limits.maxConnections()
                    + " but this process may open only " + max + " files: raise the limit to at least " + needed
                    + " (ulimit -n " + needed + ", or LimitNOFILE=" + needed + " in a systemd unit) or lower "
                    + listener + ".listener.max-connections to " + Math.max(1, max - RESERVED_DESCRIPTORS));
        }
    }

    /**
     * The server options a guarded listener needs: cleartext HTTP/2 (h2c) off, because Vert.x
     * creates the connection only once it has told h2c from HTTP/1.1, which for a client that
     * drips its headers is never; the guard would not see it. HTTP/2 stays available over TLS.
     */
    public static HttpServerOptions prepare(HttpServerOptions options) {
        return options.setHttp2ClearTextEnabled(false);
    }

    /** Installs the guard on {@code server} (built with {@link #prepare}d options) around {@code requests}. */
    public HttpServer install(HttpServer server, Handler<HttpServerRequest> requests) {
        return server.connectionHandler(this::accept).requestHandler(request -> {
            started(request);
            requests.handle(request);
        });
    }

    private void accept(HttpConnection connection) {
        String address = connection.remoteAddress() == null ? "" : connection.remoteAddress().hostAddress();
        int fromAddress = perAddress.merge(address, 1, Integer::sum);
        boolean admitted = open.incrementAndGet() <= limits.maxConnections()
                & fromAddress <= limits.maxConnectionsPerIp();
        connection.closeHandler(v -> closed(connection, address));
        if (!admitted) {
            refused.incrementAndGet();
            connection.close();
            return;
        }
        Watch watch = new Watch(connection);
        watches.put(connection, watch);
        watch.expectHeadersWithin(limits.headerTimeout().toMillis());
    }

    private void closed(HttpConnection connection, String address) {
        Watch watch = watches.remove(connection);
        if (watch != null) watch.stop();
        open.decrementAndGet();
        perAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
    }

    private void started(HttpServerRequest request) {
        Watch watch = watches.get(request.connection());
        if (watch == null) return;
        watch.headersArrived();
        // HTTP/2 multiplexes requests on one connection: only its first headers are timed.
        if (request.version() != HttpVersion.HTTP_2) {
            request.response().endHandler(v -> watch.expectHeadersWithin(limits.keepAliveTimeout().toMillis()));
        }
    }

    /** One connection's header deadline and the timer that checks it. Its event loop only. */
    private final class Watch {
        private final HttpConnection connection;
        private long deadlineNanos; // 0 while a request is being served
        private long timer = -1;

        Watch(HttpConnection connection) {
            this.connection = connection;
        }

        void expectHeadersWithin(long millis) {
            deadlineNanos = System.nanoTime() + millis * 1_000_000L;
            if (timer < 0) timer = vertx.setTimer(millis, this::check);
        }

        void headersArrived() {
            deadlineNanos = 0;
        }

        /** The timer fired: close past the deadline, else wait for what is left of it (if one is set). */
        private void check(long id) {
            timer = -1;
            if (deadlineNanos == 0) return; // the response's end sets the next deadline and a timer
            long left = deadlineNanos - System.nanoTime();
            if (left > 0) {
                timer = vertx.setTimer(Math.max(1, left / 1_000_000L), this::check);
            } else if (watches.remove(connection, this)) {
                timedOut.incrementAndGet();
                connection.close();
            }
        }

        void stop() {
            if (timer >= 0) vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    /** Connections open now on this listener. */
    public int open() {
        return open.get();
    }

    /** Connections closed at accept because a cap was reached, since start. */
    public long refused() {
        return refused.get();
    }

    /** Connections closed because their headers did not arrive in time, since start. */
    public long timedOut() {
        return timedOut.get();
    }
}
