package dev.spillway.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.vertx.core.MultiMap;
import io.vertx.core.http.impl.headers.HeadersAdaptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadersTest {
    private static final String[][] CLIENT = {
        {"Host", "gw.example"}, {"Content-Length", "1024"}, {"API-Key", "sk-secret"}, {"Authorization", "Bearer t"},
        {"Connection", "keep-alive"}, {"Keep-Alive", "timeout=5"}, {"TE", "trailers"}, {"Accept-Encoding", "gzip"},
        {"X-Spillway-Priority", "low"}, {"x-spillway-cache", "no-store"}, {"Expect", "100-continue"},
        {"Content-Type", "application/json"}, {"User-Agent", "OpenAI/Python 1.54"}, {"X-Sim-Status", "429"},
        {"x-sim-latency-ms", "0"}, {"X-Custom", "a"}, {"x-custom", "b"}, {"OpenAI-Organization", "org-1"},
        {"Proxy-Authorization", "Basic x"}, {"Upgrade", "h2c"}, {"x-simulated", "kept"}};

    private static List<String> pairs(MultiMap m) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : m) out.add(e.getKey() + ": " + e.getValue());
        return out;
    }

    private static MultiMap vertxHeaders(String[][] headers) {
        MultiMap m = MultiMap.caseInsensitiveMultiMap();
        for (String[] h : headers) m.add(h[0], h[1]);
        return m;
    }

    private static MultiMap nettyHeaders(String[][] headers) {
        DefaultHttpHeaders h = new DefaultHttpHeaders();
        for (String[] p : headers) h.add(p[0], p[1]);
        return new HeadersAdaptor(h);
    }

    @Test
    void requestKeepsTheClientsOwnHeadersAsTheyCameAndDropsHopByHopCredentialsAndSteering() {
        for (MultiMap from : List.of(vertxHeaders(CLIENT), nettyHeaders(CLIENT))) {
            MultiMap to = MultiMap.caseInsensitiveMultiMap();
            Headers.copyRequest(from, to, false);
            assertThat(pairs(to)).containsExactly("Content-Type: application/json", "User-Agent: OpenAI/Python 1.54",
                    "X-Custom: a", "x-custom: b", "OpenAI-Organization: org-1", "x-simulated: kept");
        }
    }

    @Test
    void steeringHeadersPassWhenForwardingIsOn() {
        MultiMap to = MultiMap.caseInsensitiveMultiMap();
        Headers.copyRequest(vertxHeaders(CLIENT), to, true);
        assertThat(pairs(to)).containsExactly("Content-Type: application/json", "User-Agent: OpenAI/Python 1.54",
                "X-Sim-Status: 429", "x-sim-latency-ms: 0", "X-Custom: a", "x-custom: b", "OpenAI-Organization: org-1",
                "x-simulated: kept");
    }

    @Test
    void responseKeepsAllButContentLengthAndHopByHop() {
        String[][] backend = {{"Content-Length", "900"}, {"content-type", "application/json"}, {"Connection", "close"},
            {"x-ratelimit-remaining-requests", "99"}, {"Transfer-Encoding", "chunked"}, {"apim-request-id", "r1"},
            {"x-sim-note", "kept: responses are not steering"}};
        for (MultiMap from : List.of(vertxHeaders(backend), nettyHeaders(backend))) {
            MultiMap to = MultiMap.caseInsensitiveMultiMap();
            Headers.copyResponse(from, to);
            assertThat(pairs(to)).containsExactly("content-type: application/json", "x-ratelimit-remaining-requests: 99",
                    "apim-request-id: r1", "x-sim-note: kept: responses are not steering");
        }
    }
}
