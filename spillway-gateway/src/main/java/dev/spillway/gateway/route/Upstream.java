package dev.spillway.gateway.route;

import dev.spillway.gateway.config.BackendConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;

/**
 * The request Spillway is about to send to one backend in one attempt: built by
 * {@link TranslatePolicy}, signed by {@link BackendAuthPolicy}, sent by {@link BackendCall}.
 * One per attempt; not thread-safe.
 */
public final class Upstream {
    private final BackendConfig backend;
    private String uri = "";
    private final MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    private Buffer body = Buffer.buffer();
    private Duration firstByteTimeout;

    public Upstream(BackendConfig backend) {
        this.backend = backend;
        this.firstByteTimeout = backend.firstByteTimeout();
    }

    /** The time this attempt may wait for the response headers: the backend's, cut to the request's deadline. */
    public Duration firstByteTimeout() { return firstByteTimeout; }
    public void firstByteTimeout(Duration limit) { this.firstByteTimeout = limit; }

    public BackendConfig backend() { return backend; }
    public String uri() { return uri; }
    public void uri(String absoluteUri) { this.uri = absoluteUri; }
    public MultiMap headers() { return headers; }
    public Buffer body() { return body; }
    public void body(Buffer bytes) { this.body = bytes; }
}
