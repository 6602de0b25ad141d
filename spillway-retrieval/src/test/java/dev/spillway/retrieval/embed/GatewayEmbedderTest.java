package dev.spillway.retrieval.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.spillway.core.config.Secret;
import dev.spillway.core.wire.Json;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GatewayEmbedderTest {
    HttpServer server;
    final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    final List<String> traceparents = new CopyOnWriteArrayList<>();
    volatile int status = 200;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/embeddings", exchange -> {
            JsonNode body = Json.MAPPER.readTree(exchange.getRequestBody());
            requests.add(body);
            authorizations.add(exchange.getRequestHeaders().getFirst("authorization"));
            traceparents.add(String.valueOf(exchange.getRequestHeaders().getFirst("traceparent")));
            StringBuilder data = new StringBuilder();
            // answer in reverse order, as the spec allows: the client must sort by index
            for (int i = body.get("input").size() - 1; i >= 0; i--) {
                if (!data.isEmpty()) data.append(',');
                data.append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":[3,").append(4 + i).append("]}");
            }
            byte[] out = (status == 200 ? "{\"object\":\"list\",\"data\":[" + data + "]}"
                    : "{\"error\":{\"message\":\"slow down\"}}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private GatewayEmbedder embedder(int batch) {
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/";
        return new GatewayEmbedder(new GatewayEmbedderConfig(base, Secret.literal("sk-test"), "text-embedding-3-small",
                batch, Duration.ofSeconds(5)));
    }

    @Test
    void embedsInBatchesInOrderAsUnitVectors() {
        List<float[]> vectors = embedder(2).embedPassages(List.of("a", "b", "c"));
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).get("input").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(requests.get(0).get("model").asText()).isEqualTo("text-embedding-3-small");
        assertThat(authorizations).containsOnly("Bearer sk-test");
        assertThat(vectors.get(0)).containsExactly(0.6f, 0.8f);
        assertThat(vectors.get(1)[1]).isGreaterThan(vectors.get(0)[1]);
        assertThat(vectors.get(2)).containsExactly(0.6f, 0.8f);
    }

    @Test
    void anErrorStatusFailsWithTheStatusAndBody() {
        status = 429;
        assertThatThrownBy(() -> embedder(8).embedPassages(List.of("a")))
                .hasMessageContaining("HTTP 429").hasMessageContaining("slow down");
    }

    @Test
    void theModelIdNamesTheGatewayModel() {
        assertThat(embedder(8).modelId()).isEqualTo("gateway:text-embedding-3-small");
    }

    @Test
    void aRelativeBaseUrlIsRejected() {
        assertThatThrownBy(() -> new GatewayEmbedderConfig("localhost:8080", Secret.literal("k"), "m", 8, Duration.ofSeconds(1)))
                .hasMessageStartingWith("base-url:");
    }

    @Test
    void aQueryEmbeddedInsideATracedTurnCarriesItsTraceparent() {
        SpanContext turn = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault());
        try (Scope ignored = Span.wrap(turn).makeCurrent()) {
            embedder(8).embedQuery("vacation days");
        }
        embedder(8).embedQuery("outside any trace");
        assertThat(traceparents).containsExactly("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "null");
    }
}
