package dev.spillway.gateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A browser stand-in for the console API: keeps the session cookie and echoes the CSRF token. */
final class ConsoleClient {
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    String csrf = "";

    ConsoleClient(String base) {
        this.base = base;
    }

    HttpResponse<String> signIn(String field, String value) throws Exception {
        HttpResponse<String> r = send("POST", "api/session", Json.MAPPER.createObjectNode().put(field, value).toString(), true);
        if (r.statusCode() == 200) csrf = Json.MAPPER.readTree(r.body()).path("csrf-token").asText();
        return r;
    }

    HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null, true);
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return send("POST", path, body, true);
    }

    HttpResponse<String> postWithoutToken(String path, String body) throws Exception {
        return send("POST", path, body, false);
    }

    JsonNode json(String path) throws Exception {
        HttpResponse<String> r = get(path);
        if (r.statusCode() != 200) throw new AssertionError(path + " answered " + r.statusCode() + ": " + r.body());
        return Json.MAPPER.readTree(r.body());
    }

    HttpResponse<String> send(String method, String path, String body, boolean token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token && !csrf.isEmpty()) b.header("x-csrf-token", csrf);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
