package dev.spillway.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.config.Secret;
import dev.spillway.core.wire.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code audit.anchor-url}: chain heads sent to a service outside the gateway's reach. Each head is
 * POSTed as {@code {"seq":N,"hash":"...","at":"..."}}; {@code audit verify} GETs the same URL and
 * expects a JSON array of such objects. With {@code anchor-url-token} both carry
 * {@code Authorization: Bearer <token>}. The service owns retention. Blocking; thread-safe.
 */
public final class UrlHeadAnchors implements HeadAnchors {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final URI url;
    private final Optional<Secret> token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    public UrlHeadAnchors(URI url, Optional<Secret> token) {
        this.url = url;
        this.token = token;
    }

    @Override
    public void anchor(AnchoredHead head) throws IOException, InterruptedException {
        send(request().header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(head.toJson())));
    }

    @Override
    public List<AnchoredHead> heads() throws IOException, InterruptedException {
        JsonNode list = Json.MAPPER.readTree(send(request().GET()));
        if (!list.isArray()) throw new IOException(url + " did not answer a JSON array of anchored heads");
        List<AnchoredHead> heads = new ArrayList<>();
        for (JsonNode n : list) heads.add(AnchoredHead.fromJson(n));
        return heads;
    }

    /** The service owns what it keeps. */
    @Override
    public void forgetBefore(Instant cutoff) {
        // nothing to do here
    }

    @Override
    public String describe() {
        return "anchor URL " + url;
    }

    private HttpRequest.Builder request() {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(TIMEOUT);
        token.ifPresent(t -> b.header("authorization", "Bearer " + t.value()));
        return b;
    }

    private String send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) throw new IOException(url + " answered " + response.statusCode());
        return response.body();
    }
}
