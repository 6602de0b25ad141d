package dev.spillway.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackendOriginTest {
    private static String described(RequestOptions o) {
        return o.getHost() + " " + o.getPort() + " " + o.isSsl() + " " + o.getURI();
    }

    /** Each pair: a backend URL and an attempt's absolute URI; the origin must point options where setAbsoluteURI does. */
    @Test
    void optionsPointWhereTheAbsoluteUriParseWouldPointThem() {
        List<String[]> cases = List.of(
                new String[] {"http://127.0.0.1:8081", "http://127.0.0.1:8081/openai/deployments/d/chat/completions?api-version=2024-10-21"},
                new String[] {"https://east.example.com", "https://east.example.com/openai/v1/responses"},
                new String[] {"https://api.example.com/v1", "https://api.example.com/v1/chat/completions"},
                new String[] {"http://h.example/", "http://h.example//openai/deployments/d/embeddings?api-version=x"},
                new String[] {"http://[::1]:9000/proxy", "http://[::1]:9000/proxy/chat/completions"},
                new String[] {"http://h.example:1", "http://h.example:10/chat/completions"},
                new String[] {"http://h.example/x", "http://h.example/xy/chat/completions"},
                new String[] {"http://h.example", "http://h.example"},
                new String[] {"http://h.example", "http://other.example/chat/completions"},
                new String[] {"http://user@h.example", "http://user@h.example/chat/completions"},
                new String[] {"http://h.example/p%20q", "http://h.example/p%20q/chat/completions?a=%2F"});
        for (String[] c : cases) {
            RequestOptions expected = new RequestOptions().setAbsoluteURI(c[1]);
            RequestOptions got = new RequestOptions();
            BackendOrigin origin = BackendOrigin.of(URI.create(c[0]));
            if (origin == null) got.setAbsoluteURI(c[1]);
            else origin.target(got, c[1]);
            assertThat(described(got)).as(c[0] + " -> " + c[1]).isEqualTo(described(expected));
        }
    }

    @Test
    void urlsWithUserInfoQueryOrFragmentAreLeftToTheParse() {
        assertThat(BackendOrigin.of(URI.create("http://user@h.example"))).isNull();
        assertThat(BackendOrigin.of(URI.create("http://h.example/?a=b"))).isNull();
        assertThat(BackendOrigin.of(URI.create("http://h.example/#f"))).isNull();
        assertThat(BackendOrigin.of(URI.create("https://h.example"))).isEqualTo(
                new BackendOrigin("https://h.example", "https://h.example".length(), "h.example", 443, true));
    }
}
