package dev.spillway.gateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.signin.CrossSite;
import dev.spillway.core.signin.SessionStore;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.access.keys.KeyService;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.ledger.Accounting;
import dev.spillway.gateway.route.pool.BackendStates;
import dev.spillway.gateway.signin.OidcEndpoint;
import dev.spillway.gateway.signin.SessionEndpoint;
import dev.spillway.gateway.signin.SignedIn;
import dev.spillway.gateway.signin.WebGuard;
import dev.spillway.gateway.signin.WebSignIn;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The operator's console at {@code /ui}: static pages ({@link StaticFiles}) and their JSON API under
 * {@code /ui/api/}, every call behind the session cookie ({@link WebGuard}: CSRF on changes) and
 * the role rules of {@link Permissions}. The routes are listed in {@link #route}; database and
 * file work runs on worker threads. Thread-safe; one per gateway server.
 */
public final class Console {
    public static final String PREFIX = "/ui";
    private static final String API = PREFIX + "/api/";
    private static final int MAX_BODY = 64 * 1024;

    private final Vertx vertx;
    private final WebGuard guard;
    private final SessionEndpoint session;
    private final Optional<OidcEndpoint> oidc;
    private final StaticFiles files = new StaticFiles("index.html", "login.html", "console.js", "login.js",
            "charts.js", "console.css");
    private final KeyService keys;
    private final KeysPage keysPage;
    private final Optional<OverviewPage> overview;
    private final Optional<UsagePage> usage;
    private final BackendsPage backends;
    private final AuditPage audit;

    private Console(Vertx vertx, GatewayConfig config, WebSignIn signIn, KeyService keys,
            Accounting accounting, BackendStates states, Clock clock) {
        this.vertx = vertx;
        this.guard = signIn.guard();
        this.session = signIn.endpoint();
        this.oidc = signIn.oidc();
        this.keys = keys;
        this.keysPage = new KeysPage(keys, accounting.rollups(), clock);
        this.overview = accounting.rollups().map(r -> new OverviewPage(r, accounting::prices, clock));
        this.usage = accounting.usageReports().map(UsagePage::new);
        this.backends = new BackendsPage(states, accounting::prices);
        this.audit = new AuditPage(config.accounting().audit(), accounting.auditAnchors());
    }

    /** The console, when {@code gateway.console.enabled} and some way to sign in is configured. */
    public static Optional<Console> open(Vertx vertx, GatewayConfig config, WebSignIn signIn, KeyService keys,
            Accounting accounting, BackendStates states, Clock clock) {
        if (!config.console().enabled() || !signIn.possible()) return Optional.empty();
        return Optional.of(new Console(vertx, config, signIn, keys, accounting, states, clock));
    }

    public static boolean owns(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    public void handle(HttpServerRequest req) {
        String path = req.path();
        if (path.startsWith(API)) {
            api(req, path.substring(API.length()));
        } else if (OidcEndpoint.owns(path) && oidc.isPresent()) {
            oidc.get().handle(req);
        } else if (path.equals(PREFIX)) {
            WebGuard.hardened(req.response()).setStatusCode(302).putHeader("location", PREFIX + "/").end();
        } else {
            String name = path.equals(PREFIX + "/") ? "index.html" : path.substring(PREFIX.length() + 1);
            if (req.method() == HttpMethod.GET && files.has(name)) files.serve(req, name);
            else WebGuard.fail(req, new SpillwayException.NotFound("NotFound", "No console page " + path + "."));
        }
    }

    private void api(HttpServerRequest req, String rest) {
        if (rest.equals("session")) {
            session.handle(req);
            return;
        }
        if (rest.equals("sign-in") && req.method() == HttpMethod.GET) {
            WebGuard.json(req, 200, signInOptions());
            return;
        }
        SessionStore.Session<SignedIn> s;
        try {
            s = guard.require(req);
        } catch (SpillwayException e) {
            WebGuard.fail(req, e);
            return;
        }
        Future<JsonNode> body = CrossSite.isUnsafe(req.method()) ? WebGuard.jsonBody(req, MAX_BODY)
                : Future.succeededFuture(Json.MAPPER.createObjectNode());
        body.compose(b -> route(req, s.who(), req.method(), rest.split("/", -1), b))
                .onSuccess(a -> reply(req, a))
                .onFailure(e -> WebGuard.fail(req, e));
    }

    /** Every console API route: method, path and what answers it. */
    private Future<Answer> route(HttpServerRequest req, SignedIn who, HttpMethod m, String[] p, JsonNode body) {
        String page = p[0];
        boolean get = m == HttpMethod.GET;
        if (page.equals("overview") && p.length == 1 && get) {
            Permissions.operator(who);
            OverviewPage o = overview.orElseThrow(() -> unavailable("the overview needs the ledger database"));
            OverviewPage.Range range = OverviewPage.Range.parse(param(req, "range").orElse("hour"));
            return blocking(() -> o.answer(range));
        }
        if (page.equals("keys") && p.length == 1 && get) return blocking(() -> keysPage.list(who));
        if (page.equals("keys") && p.length == 1 && m == HttpMethod.POST) return blocking(() -> keysPage.create(who, body));
        if (page.equals("keys") && p.length == 3 && m == HttpMethod.POST && p[2].equals("rotate")) {
            return blocking(() -> keysPage.rotate(who, p[1], body));
        }
        if (page.equals("keys") && p.length == 3 && m == HttpMethod.POST && p[2].equals("revoke")) {
            return blocking(() -> keysPage.revoke(who, p[1]));
        }
        if (page.equals("usage") && p.length == 1 && get) {
            UsagePage u = usage.orElseThrow(() -> unavailable("usage reports need the ledger database"));
            return blocking(() -> u.answer(who, Permissions.appsOf(who, keys.list()), param(req, "by").orElse("app"),
                    param(req, "period").orElseThrow(() -> new SpillwayException.InvalidRequest("invalid_parameter",
                            "period is required, e.g. period=2026-11", "period")),
                    param(req, "format").orElse("json")));
        }
        if (page.equals("backends") && p.length == 1 && get) {
            Permissions.operator(who);
            return Future.succeededFuture(backends.list());
        }
        if (page.equals("backends") && p.length == 3 && m == HttpMethod.POST
                && (p[2].equals("drain") || p[2].equals("undrain"))) {
            return Future.succeededFuture(backends.drain(who, p[1], p[2].equals("drain")));
        }
        if (page.equals("audit")) {
            Permissions.operator(who);
            if (p.length == 1 && get) {
                return blocking(() -> audit.search(param(req, "request-id"), param(req, "app"), param(req, "from"),
                        param(req, "to")));
            }
            if (p.length == 2 && get && p[1].equals("verify")) return blocking(audit::verify);
            if (p.length == 3 && get && p[1].equals("records")) return blocking(() -> audit.show(p[2]));
        }
        throw new SpillwayException.NotFound("NotFound", "No console API " + m.name() + " " + req.path() + ".");
    }

    /** What the sign-in page offers beside the key: the OpenID provider's button, if configured. */
    private JsonNode signInOptions() {
        var options = Json.MAPPER.createObjectNode();
        oidc.ifPresentOrElse(o -> options.putObject("oidc").put("name", o.displayName()).put("start", OidcEndpoint.START),
                () -> options.putNull("oidc"));
        return options;
    }

    private static Optional<String> param(HttpServerRequest req, String name) {
        return Optional.ofNullable(req.getParam(name)).filter(v -> !v.isBlank());
    }

    private static SpillwayException unavailable(String why) {
        return new SpillwayException.NotFound("not_available", "Not available: " + why + " (gateway.database).");
    }

    private <T> Future<T> blocking(Callable<T> work) {
        return vertx.executeBlocking(work, false);
    }

    private static void reply(HttpServerRequest req, Answer a) {
        var resp = WebGuard.hardened(req.response()).setStatusCode(a.status()).putHeader("content-type", a.contentType());
        if (!a.fileName().isEmpty()) resp.putHeader("content-disposition", "attachment; filename=\"" + a.fileName() + "\"");
        resp.end(a.body());
    }
}
