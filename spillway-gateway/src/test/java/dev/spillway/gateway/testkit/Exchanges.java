package dev.spillway.gateway.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Json;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.FrontDoor;
import dev.spillway.gateway.server.Lifecycle;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** Exchanges as the request handler makes them, with the gateway's own completion order. */
public final class Exchanges {
    public static final Instant RECEIVED = Instant.parse("2026-11-21T10:15:10Z");
    private static final AtomicLong IDS = new AtomicLong();

    private Exchanges() {
    }

    /** A request as it arrives, before validation parsed it: {@code headers} are name, value pairs. */
    public static Exchange raw(FrontDoor door, Operation operation, String deployment, String body, String... headers) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < headers.length; i += 2) h.add(headers[i], headers[i + 1]);
        Optional<String> apiVersion = door == FrontDoor.AZURE ? Optional.of("2024-10-21") : Optional.empty();
        return new Exchange("req-" + IDS.incrementAndGet(), RECEIVED, System.nanoTime(), "POST", "/openai/deployments/" + deployment
                + "/chat/completions", h, door, operation, deployment, apiVersion, Buffer.buffer(body),
                Lifecycle.COMPLETION_ORDER);
    }

    /** An Azure chat request for {@code gpt-4o} as validation leaves it: body parsed, stream flag set. */
    public static Exchange chat(String body, String... headers) {
        Exchange e = raw(FrontDoor.AZURE, Operation.CHAT_COMPLETIONS, "gpt-4o", body, headers);
        try {
            ObjectNode parsed = (ObjectNode) Json.MAPPER.readTree(body);
            e.body(parsed);
            e.stream(parsed.path("stream").asBoolean(false));
            e.clientWantsUsage(parsed.path("stream_options").path("include_usage").asBoolean(false));
        } catch (java.io.IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return e;
    }

    /** A one-message chat request saying {@code hi}. */
    public static Exchange chat() {
        return chat("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    }
}
