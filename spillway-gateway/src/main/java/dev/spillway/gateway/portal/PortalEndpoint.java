package dev.spillway.gateway.portal;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.access.Authenticator;
import dev.spillway.gateway.access.keys.KeyService;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.ledger.UsageStore;
import dev.spillway.gateway.server.ServedRoutes;
import dev.spillway.gateway.signin.SignedIn;
import dev.spillway.gateway.signin.WebSignIn;
import dev.spillway.gateway.server.ErrorWriter;
import dev.spillway.gateway.server.RequestIds;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The developer portal: {@code GET /openapi.json}, the static docs and try-it pages under
 * {@code /portal/} (our own files only, the chat app's Content-Security-Policy: no inline code, no
 * other origin), {@code /portal/api/session} (the console's sign-in, shared: one session for
 * {@code /ui} and the portal) and {@code GET /portal/api/me}, an app owner's own keys, limits and
 * usage, for a signed-in session or for the caller authenticated by the same authenticator as model
 * calls (their app key, or a JWT). Thread-safe; one per gateway.
 */
public final class PortalEndpoint {
    public static final String DOCUMENT = "/openapi.json";
    private static final String PREFIX = "/portal";
    private static final String ME = "/portal/api/me";
    private static final String SESSION = "/portal/api/session";
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
    private static final Map<String, String> FILES = Map.of("/portal/", "index.html", "/portal/portal.js", "portal.js",
            "/portal/portal.css", "portal.css");

    private final Vertx vertx;
    private final Buffer document;
    private final Map<String, Buffer> files;
    private final Supplier<Authenticator> authenticator;
    private final WebSignIn signIn;
    private final AppOwnerView owners;
    private final Clock clock;

    /**
     * The portal of the gateway whose config in force {@code config} names; its document is built
     * here, once, from the config at start; an app owner's view reads the config in force.
     */
    public PortalEndpoint(Vertx vertx, Supplier<GatewayConfig> config, Supplier<Authenticator> authenticator,
            WebSignIn signIn,
            KeyService keys, Optional<UsageStore> usage, Clock clock) {
        this.vertx = vertx;
        this.signIn = signIn;
        this.document = Buffer.buffer(OpenApiDocument.of(config.get(), ServedRoutes.all()));
        this.authenticator = authenticator;
        this.owners = new AppOwnerView(config, keys, usage, clock);
        this.clock = clock;
        this.files = FILES.entrySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
                Map.Entry::getKey, e -> Buffer.buffer(read(e.getValue()))));
    }

    /** Whether {@code path} is the portal's. */
    public static boolean owns(String path) {
        return path.equals(DOCUMENT) || path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    public void handle(HttpServerRequest request) {
        String path = request.path();
        if (path.equals(SESSION) && signIn.possible()) {
            signIn.endpoint().handle(request);
        } else if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            fail(request, new SpillwayException.MethodNotAllowed(request.method().name(), "GET"));
        } else if (path.equals(DOCUMENT)) {
            request.response().putHeader("content-type", "application/json").putHeader("cache-control", "no-cache")
                    .end(document);
        } else if (path.equals(PREFIX)) {
            request.response().setStatusCode(308).putHeader("location", PREFIX + "/").end();
        } else if (path.equals(ME)) {
            me(request);
        } else if (files.containsKey(path)) {
            secured(request.response()).putHeader("content-type", type(path)).end(files.get(path));
        } else {
            fail(request, new SpillwayException.NotFound("NotFound", "No portal page " + path + "."));
        }
    }

    /**
     * The one place a portal request becomes a person: the console's session cookie (signed in at
     * {@code /portal/api/session} or {@code /ui}) when there is a live one, else the app key or
     * JWT in the headers, checked as a model call's would be.
     */
    private void me(HttpServerRequest request) {
        request.pause();
        Optional<SignedIn> session = signIn.possible() ? signIn.guard().session(request).map(s -> s.who())
                : Optional.empty();
        (session.isPresent() ? vertx.executeBlocking(() -> owners.describe(session.get()), false)
                : authenticator.get().authenticate(request.headers())
                        .compose(caller -> vertx.executeBlocking(() -> owners.describe(caller), false)))
                .onSuccess(view -> secured(request.response()).putHeader("content-type", "application/json")
                        .putHeader("cache-control", "no-store").end(view.toString()))
                .onFailure(e -> fail(request, e));
    }

    private void fail(HttpServerRequest request, Throwable e) {
        String id = RequestIds.next(clock);
        ErrorWriter.write(request.response(), ErrorWriter.classify(e, id), id);
    }

    private static HttpServerResponse secured(HttpServerResponse response) {
        return response.putHeader("content-security-policy", CSP).putHeader("x-content-type-options", "nosniff")
                .putHeader("referrer-policy", "same-origin").putHeader("x-frame-options", "DENY");
    }

    private static String type(String path) {
        if (path.endsWith(".js")) return "text/javascript; charset=utf-8";
        if (path.endsWith(".css")) return "text/css; charset=utf-8";
        return "text/html; charset=utf-8";
    }

    private static byte[] read(String name) {
        try (InputStream in = PortalEndpoint.class.getResourceAsStream("/portal/" + name)) {
            if (in == null) throw new IllegalStateException("portal file missing from the jar: /portal/" + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
