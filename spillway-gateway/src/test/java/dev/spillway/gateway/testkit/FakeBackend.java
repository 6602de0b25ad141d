package dev.spillway.gateway.testkit;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny Azure-shaped backend on 127.0.0.1:0 for gateway tests, steered per request by the
 * simulator's headers ({@code x-sim-status}, {@code x-sim-fault}) or as a whole ({@link #status},
 * {@link #down}), or answering with whatever a test's {@link #responder} does. Every request it
 * receives is recorded; every steered answer carries {@code x-backend: <name>}. Streams send two
 * content chunks, a usage chunk and {@code [DONE]}.
 */
public final class FakeBackend implements AutoCloseable {
    /** A request as the backend received it. */
    public record Received(String uri, MultiMap headers, String body) {
    }

    /** Answers a request in the test's own way instead of the header-steered default. */
    public interface Responder {
        void respond(HttpServerRequest request, Buffer body);
    }

    public final String name;
    private final Vertx vertx;
    private HttpServer server;
    private String scheme = "http";
    public final AtomicInteger requests = new AtomicInteger();
    public final AtomicInteger probes = new AtomicInteger();
    public volatile int status = 200;
    public volatile String extraHeader = "";
    /** A fault applied to every request that names none in {@code x-sim-fault}. */
    public volatile String fault = "";
    public volatile String expectedBearer = "";
    public volatile String lastBody = "";
    public final List<Received> received = new CopyOnWriteArrayList<>();
    public volatile Responder responder;

    public FakeBackend(Vertx vertx, String name) {
        this.vertx = vertx;
        this.name = name;
    }

    public FakeBackend start() throws Exception {
        server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        return this;
    }

    /** Starts listening with {@code options}, e.g. TLS; {@link #url} then says https. */
    public FakeBackend start(io.vertx.core.http.HttpServerOptions options) throws Exception {
        server = vertx.createHttpServer(options).requestHandler(this::handle).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        scheme = options.isSsl() ? "https" : "http";
        return this;
    }

    public String url() {
        return scheme + "://127.0.0.1:" + server.actualPort();
    }

    /** Stops listening: connections are refused until {@link #start} is called again. */
    public void down() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** Listens again on the same port. */
    public void up(int port) throws Exception {
        server = vertx.createHttpServer().requestHandler(this::handle).listen(port, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** A started backend named {@code fake}. */
    public static FakeBackend started(Vertx vertx) throws Exception {
        return new FakeBackend(vertx, "fake").start();
    }

    public Received last() {
        return received.get(received.size() - 1);
    }

    public int port() {
        return server.actualPort();
    }

    private void handle(HttpServerRequest request) {
        if ("GET".equals(request.method().name())) {
            probes.incrementAndGet();
            request.response().setStatusCode(status).end("{\"data\":[]}");
            return;
        }
        request.body().onSuccess(body -> {
            lastBody = body.toString();
            received.add(new Received(request.uri(), MultiMap.caseInsensitiveMultiMap().addAll(request.headers()),
                    lastBody));
            requests.incrementAndGet(); // last: a test that sees the count can read the body it counts
            Responder custom = responder;
            if (custom != null) custom.respond(request, body);
            else answer(request, lastBody);
        });
    }

    private void answer(HttpServerRequest request, String body) {
        HttpServerResponse response = request.response().putHeader("x-backend", name);
        if (!expectedBearer.isEmpty() && !("Bearer " + expectedBearer).equals(request.getHeader("authorization"))) {
            response.setStatusCode(401).end("{\"error\":{\"code\":\"401\",\"message\":\"bad token\"}}");
            return;
        }
        if (!extraHeader.isEmpty()) response.putHeader(extraHeader.split(":")[0], extraHeader.split(":")[1].trim());
        String fault = request.getHeader("x-sim-fault") != null ? request.getHeader("x-sim-fault") : this.fault;
        int code = request.getHeader("x-sim-status") != null ? Integer.parseInt(request.getHeader("x-sim-status")) : status;
        switch (fault) {
            case "disconnect-before-headers" -> request.connection().close();
            case "stall-before-headers" -> { /* never answers */ }
            default -> {
                if (code != 200) {
                    if (code == 429) response.putHeader("retry-after-ms", "1000").putHeader("retry-after", "1");
                    response.setStatusCode(code).end("{\"error\":{\"code\":\"" + code + "\",\"message\":\"fake\"}}");
                } else if (body.contains("\"stream\":true")) {
                    stream(request, response, fault);
                } else {
                    response.putHeader("content-type", "application/json").end("{\"choices\":[{\"message\":{\"content\":\"hi from "
                            + name + "\"}}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3,\"total_tokens\":8}}");
                }
            }
        }
    }

    private void stream(HttpServerRequest request, HttpServerResponse response, String fault) {
        response.setChunked(true).putHeader("content-type", "text/event-stream");
        response.write("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n");
        switch (fault) {
            case "disconnect-mid-stream" -> vertx.setTimer(20, t -> request.connection().close());
            case "stall" -> { /* headers and one chunk, then silence */ }
            default -> {
                response.write("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}\n\n");
                response.write("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}}\n\n");
                response.end("data: [DONE]\n\n");
            }
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
