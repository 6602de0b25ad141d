package dev.spillway.gateway.route;

import dev.spillway.gateway.config.BackendConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One pooled keep-alive HTTP client per configured backend (TCP_NODELAY on, as measured in
 * research/perf.md: without it SSE stalls on delayed ACKs). Created at start, closed at stop;
 * thread-safe.
 */
public final class Backends {
    private final Map<String, HttpClient> clients = new HashMap<>();
    private final Vertx vertx;

    public Backends(Vertx vertx, List<BackendConfig> configs) {
        this.vertx = vertx;
        for (BackendConfig b : configs) {
            boolean tls = "https".equals(b.url().getScheme());
            HttpClientOptions options = new HttpClientOptions()
                    .setKeepAlive(true)
                    .setTcpNoDelay(true)
                    .setSsl(tls)
                    .setVerifyHost(tls)
                    .setConnectTimeout((int) b.connectTimeout().toMillis())
                    .setKeepAliveTimeout(30)
                    .setMaxInitialLineLength(8192);
            // A backend's own CA bundle replaces the JDK's trusted CAs for it; verification stays on.
            b.caFile().ifPresent(ca -> options.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
            PoolOptions pool = new PoolOptions().setHttp1MaxSize(b.maxConnections()).setMaxWaitQueueSize(10_000);
            clients.put(b.name(), vertx.httpClientBuilder().with(options).with(pool).build());
        }
    }

    public Vertx vertx() {
        return vertx;
    }

    public HttpClient client(String backend) {
        HttpClient c = clients.get(backend);
        if (c == null) throw new IllegalArgumentException("no backend named " + backend);
        return c;
    }

    public Future<Void> close() {
        List<Future<Void>> closing = new ArrayList<>();
        clients.values().forEach(c -> closing.add(c.close()));
        return Future.all(closing).mapEmpty();
    }
}
