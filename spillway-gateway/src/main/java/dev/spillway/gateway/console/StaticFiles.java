package dev.spillway.gateway.console;

import dev.spillway.gateway.signin.WebGuard;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The console's pages, scripts and styles, read from the jar once at start and served from memory
 * with the hardening headers. Only the files named here exist: no path from a request ever reaches
 * the class path or the disk. Immutable; thread-safe.
 */
final class StaticFiles {
    private static final String ROOT = "/dev/spillway/gateway/console/webroot/";
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml");
    private final Map<String, Buffer> files = new TreeMap<>();

    StaticFiles(String... names) {
        for (String name : names) files.put(name, read(name));
    }

    boolean has(String name) {
        return files.containsKey(name);
    }

    void serve(HttpServerRequest request, String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        WebGuard.hardened(request.response()).putHeader("content-type", TYPES.get(ext)).end(files.get(name));
    }

    private static Buffer read(String name) {
        try (InputStream in = StaticFiles.class.getResourceAsStream(ROOT + name)) {
            if (in == null) throw new IllegalStateException("console file missing from the jar: " + name);
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
