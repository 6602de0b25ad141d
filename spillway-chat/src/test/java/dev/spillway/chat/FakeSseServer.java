package dev.spillway.chat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A tiny OpenAI-compatible streaming endpoint on 127.0.0.1:0: every POST gets the configured SSE
 * frames (or an error status). Records each request's path, api-key, traceparent and access-groups headers and body.
 */
public final class FakeSseServer implements AutoCloseable {
    public record Received(String pathAndQuery, String apiKey, String body, String traceparent, String accessGroups) {
    }

    public final List<Received> received = new CopyOnWriteArrayList<>();
    public volatile List<String> frames = List.of();
    /** Chooses the frames for a request body; by default {@link #frames}. */
    public volatile java.util.function.Function<String, List<String>> responder = body -> frames;
    /** Pause between frames, to make streaming visible in the browser test. */
    public volatile long frameDelayMillis;
    public volatile int status = 200;
    /** Chooses the status for a request body; by default {@link #status}. */
    public volatile java.util.function.ToIntFunction<String> statusFor = body -> status;
    public volatile String errorBody = "";
    private final HttpServer server;

    public FakeSseServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** Frames for a streamed answer split into deltas, with a usage chunk and [DONE]. */
    public static List<String> answer(String... deltas) {
        List<String> out = new java.util.ArrayList<>();
        for (String d : deltas) {
            out.add("{\"choices\":[{\"index\":0,\"delta\":{\"content\":" + json(d) + "}}]}");
        }
        out.add("{\"choices\":[],\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":12,\"total_tokens\":62}}");
        out.add("[DONE]");
        return out;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(ex.getRequestURI().toString(), ex.getRequestHeaders().getFirst("api-key"), body,
                String.valueOf(ex.getRequestHeaders().getFirst("traceparent")),
                String.valueOf(ex.getRequestHeaders().getFirst("x-spillway-access-groups"))));
        int status = statusFor.applyAsInt(body);
        if (status != 200) {
            byte[] bytes = errorBody.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("content-type", "application/json");
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
            return;
        }
        ex.getResponseHeaders().set("content-type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            for (String f : responder.apply(body)) {
                out.write(("data: " + f + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                pause();
            }
        }
    }

    private void pause() {
        if (frameDelayMillis <= 0) return;
        try {
            Thread.sleep(frameDelayMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
