package dev.spillway.core.tls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves HTTP listeners over TLS from a PEM certificate and key, and swaps in a changed pair
 * without a restart: every {@link TlsConfig#reloadInterval} the files' digest is compared with the
 * last one loaded, and on a change each registered server gets the new pair through
 * {@link HttpServer#updateSSLOptions}. A pair that does not load (a half-written file, a key that
 * is not PEM) is refused with a warning and the old one keeps serving. One per listener set;
 * thread-safe; stop it with {@link #close}.
 */
public final class TlsListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TlsListener.class);

    private final Vertx vertx;
    private final TlsConfig tls;
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private final long timer;
    private volatile String loaded;
    private volatile double expiresAt;

    private TlsListener(Vertx vertx, TlsConfig tls, String loaded) {
        this.vertx = vertx;
        this.tls = tls;
        this.loaded = loaded;
        this.expiresAt = notAfter(tls.certFile());
        this.timer = vertx.setPeriodic(tls.reloadInterval().toMillis(), id -> check());
    }

    /** Watches the pair in {@code tls}, taken as the one the servers start with. */
    public static TlsListener watch(Vertx vertx, TlsConfig tls) {
        return new TlsListener(vertx, tls, digest(tls));
    }

    /** {@code options} set to serve TLS 1.2/1.3 with the PEM pair of {@code tls}. */
    public static HttpServerOptions secure(HttpServerOptions options, TlsConfig tls) {
        return options.setSsl(true).setKeyCertOptions(keyCert(tls))
                .setEnabledSecureTransportProtocols(TlsConfig.PROTOCOLS);
    }

    /** Registers a started server for reloads. */
    public void add(HttpServer server) {
        servers.add(server);
    }

    /** Reloads the pair if the files changed since the last load; true when the servers took it. */
    public Future<Boolean> check() {
        return vertx.executeBlocking(() -> digest(tls), false).compose(now -> {
            if (now.equals(loaded)) return Future.succeededFuture(false);
            ServerSSLOptions ssl = new ServerSSLOptions().setKeyCertOptions(keyCert(tls))
                    .setEnabledSecureTransportProtocols(TlsConfig.PROTOCOLS);
            List<Future<Boolean>> updates = new ArrayList<>();
            for (HttpServer server : servers) updates.add(server.updateSSLOptions(ssl, true));
            return Future.all(updates).map(all -> {
                loaded = now;
                expiresAt = notAfter(tls.certFile());
                LOG.info("TLS: loaded the changed certificate {}", tls.certFile());
                return true;
            }).recover(e -> {
                // Remember the refused pair so it is reported once; the next change is tried again.
                loaded = now;
                LOG.warn("TLS: kept the previous certificate, {} / {} did not load: {}", tls.certFile(),
                        tls.keyFile(), e.toString());
                return Future.succeededFuture(false);
            });
        });
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
    }

    /**
     * When the serving certificate (the first in the cert file) expires, in seconds since the
     * epoch, for the {@code spillway_tls_certificate_expiry_timestamp_seconds} gauge; NaN when it
     * could not be read.
     */
    public double expiresAtEpochSeconds() {
        return expiresAt;
    }

    private static double notAfter(Path certFile) {
        try (InputStream in = Files.newInputStream(certFile)) {
            X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return leaf.getNotAfter().toInstant().getEpochSecond();
        } catch (IOException | CertificateException | ClassCastException e) {
            LOG.warn("TLS: cannot read the expiry of {}: {}", certFile, e.toString());
            return Double.NaN;
        }
    }

    private static PemKeyCertOptions keyCert(TlsConfig tls) {
        return new PemKeyCertOptions().setCertPath(tls.certFile().toString()).setKeyPath(tls.keyFile().toString());
    }

    private static String digest(TlsConfig tls) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Files.readAllBytes(tls.certFile()));
            sha.update(Files.readAllBytes(tls.keyFile()));
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            // A file mid-replacement may be briefly missing: treat it as a change to try next time.
            return "unreadable: " + e.getMessage();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
