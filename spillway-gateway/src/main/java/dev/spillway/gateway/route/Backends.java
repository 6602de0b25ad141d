package dev.spillway.gateway.route;

import dev.spillway.gateway.config.BackendConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One pooled keep-alive HTTP client per configured backend (TCP_NODELAY on, as measured in
 * research/perf.md: without it SSE stalls on delayed ACKs). Created at start; a config reload makes
 * the next set with {@link #next}, which keeps the client (and its open connections) of every
 * backend whose connection settings did not change. Closed at stop; thread-safe.
 */
public final class Backends {
    private final Map<String, HttpClient> clients = new HashMap<>();
    private final Map<String, Settings> settings = new HashMap<>();
    private final Map<String, BackendOrigin> origins = new HashMap<>();
    private final Vertx vertx;

    /** What a backend's client is built from; a backend whose settings are equal keeps its client. */
    private record Settings(boolean tls, Duration connectTimeout, Optional<Path> caFile, int maxConnections) {
        static Settings of(BackendConfig b) {
            return new Settings("https".equals(b.url().getScheme()), b.connectTimeout(), b.caFile(), b.maxConnections());
        }
    }

    public Backends(Vertx vertx, List<BackendConfig> configs) {
        this(vertx, configs, null);
    }

    private Backends(Vertx vertx, List<BackendConfig> configs, Backends previous) {
        this.vertx = vertx;
        for (BackendConfig b : configs) {
            Settings s = Settings.of(b);
            boolean same = previous != null && s.equals(previous.settings.get(b.name()));
            clients.put(b.name(), same ? previous.clients.get(b.name()) : client(s));
            settings.put(b.name(), s);
            BackendOrigin origin = BackendOrigin.of(b.url());
            if (origin != null) origins.put(b.name(), origin);
        }
    }

    private HttpClient client(Settings s) {
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setSsl(s.tls())
                .setVerifyHost(s.tls())
                .setConnectTimeout((int) s.connectTimeout().toMillis())
                .setKeepAliveTimeout(30)
                .setMaxInitialLineLength(8192);
        // A backend's own CA bundle replaces the JDK's trusted CAs for it; verification stays on.
        s.caFile().ifPresent(ca -> options.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(s.maxConnections()).setMaxWaitQueueSize(10_000);
        return vertx.httpClientBuilder().with(options).with(pool).build();
    }

    /** The clients of a reloaded config: this set's client where a backend's settings are unchanged. */
    public Backends next(List<BackendConfig> configs) {
        return new Backends(vertx, configs, this);
    }

    public Vertx vertx() {
        return vertx;
    }

    public HttpClient client(String backend) {
        HttpClient c = clients.get(backend);
        if (c == null) throw new IllegalArgumentException("no backend named " + backend);
        return c;
    }

    /** Points {@code options} at an attempt's absolute URI on {@code backend}, parsing it only if need be. */
    void target(String backend, RequestOptions options, String absoluteUri) {
        BackendOrigin origin = origins.get(backend);
        if (origin == null) options.setAbsoluteURI(absoluteUri);
        else origin.target(options, absoluteUri);
    }

    /** Closes the clients {@code successor} did not take over (once nothing in flight uses them). */
    public Future<Void> closeExcept(Backends successor) {
        Set<HttpClient> kept = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        kept.addAll(successor.clients.values());
        List<Future<Void>> closing = new ArrayList<>();
        clients.values().stream().filter(c -> !kept.contains(c)).forEach(c -> closing.add(c.close()));
        return Future.all(closing).mapEmpty();
    }

    public Future<Void> close() {
        List<Future<Void>> closing = new ArrayList<>();
        clients.values().forEach(c -> closing.add(c.close()));
        return Future.all(closing).mapEmpty();
    }
}
