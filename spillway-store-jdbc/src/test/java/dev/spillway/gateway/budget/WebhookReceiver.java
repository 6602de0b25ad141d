package dev.spillway.gateway.budget;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.spillway.core.wire.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback webhook receiver on an ephemeral port: records every post (body and idempotency key)
 * and answers 500 to the first {@code failFirst} of them, 204 after.
 */
final class WebhookReceiver implements AutoCloseable {
    record Post(String idempotencyKey, String contentType, JsonNode body, int answered) {}

    final List<Post> posts = new CopyOnWriteArrayList<>();
    final AtomicInteger failFirst = new AtomicInteger();
    private final HttpServer server;

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            JsonNode body = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
            int status = failFirst.getAndDecrement() > 0 ? 500 : 204;
            posts.add(new Post(exchange.getRequestHeaders().getFirst("idempotency-key"),
                    exchange.getRequestHeaders().getFirst("content-type"), body, status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The posts answered 2xx. */
    List<Post> accepted() {
        return posts.stream().filter(p -> p.answered() / 100 == 2).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
