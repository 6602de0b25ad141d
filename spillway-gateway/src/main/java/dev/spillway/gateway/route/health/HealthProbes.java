package dev.spillway.gateway.route.health;

import dev.spillway.gateway.config.BackendConfig;
import dev.spillway.gateway.config.ProbeConfig;
import dev.spillway.gateway.route.Backends;
import dev.spillway.gateway.route.identity.Identities;
import dev.spillway.gateway.route.pool.BackendState;
import dev.spillway.gateway.route.pool.BackendStates;
import dev.spillway.gateway.route.share.BackendSharing;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Probes every backend in the background on a Vert.x timer, asynchronously (never blocking an
 * event loop), and feeds the result to its {@link BackendState}. The default probe lists models and
 * costs no tokens; a completion probe asks for {@code max_tokens: 1} and only runs if configured.
 * A probe is healthy when the backend answers below 500 (a 401 or 429 still proves it is up).
 * With shared learning, a backend is probed only by the replica holding its lease, which shares
 * the result with the others.
 * Started at gateway start, stopped at close; thread-safe.
 */
public final class HealthProbes {
    private static final Buffer PING = Buffer.buffer(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"ping\"}],\"max_tokens\":1}");

    private final Vertx vertx;
    private final Backends backends;
    private final Identities identities;
    private final Optional<BackendSharing> sharing;
    private final List<Long> timers = new ArrayList<>();

    public HealthProbes(Vertx vertx, Backends backends, Identities identities, Optional<BackendSharing> sharing) {
        this.vertx = vertx;
        this.backends = backends;
        this.identities = identities;
        this.sharing = sharing;
    }

    public void start(BackendStates states) {
        for (BackendState s : states.all()) {
            ProbeConfig p = s.config().probe();
            if (p.kind() == ProbeConfig.Kind.NONE) continue;
            timers.add(vertx.setPeriodic(p.interval().toMillis(), id -> tick(s)));
        }
    }

    private void tick(BackendState s) {
        if (sharing.isEmpty()) {
            probe(s).onComplete(ar -> s.probed(ar.succeeded() && ar.result()));
            return;
        }
        BackendSharing shared = sharing.get();
        shared.mayProbe(s).onSuccess(mine -> {
            if (mine) probe(s).onComplete(ar -> shared.probed(s, ar.succeeded() && ar.result()));
        });
    }

    /** Runs one probe; succeeds with whether the backend answered below 500. */
    public Future<Boolean> probe(BackendState state) {
        BackendConfig b = state.config();
        ProbeConfig p = b.probe();
        boolean completion = p.kind() == ProbeConfig.Kind.COMPLETION;
        RequestOptions options = new RequestOptions()
                .setMethod(completion ? HttpMethod.POST : HttpMethod.GET)
                .setAbsoluteURI(b.url() + path(b, p))
                .setConnectTimeout(p.timeout().toMillis())
                .setIdleTimeout(p.timeout().toMillis());
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json");
        return identities.sign(b, headers)
                .compose(v -> backends.client(b.name()).request(options.setHeaders(headers)))
                .compose(req -> (completion ? req.send(PING) : req.send())
                        .compose(resp -> resp.body().map(body -> resp.statusCode() < 500)));
    }

    /** The probed path: the configured one, else the models list (or chat completions) for the backend's API. */
    static String path(BackendConfig b, ProbeConfig p) {
        if (p.path().isPresent()) return p.path().get();
        boolean azure = b.api() == BackendConfig.Api.AZURE;
        String version = "?api-version=" + b.apiVersion();
        if (p.kind() == ProbeConfig.Kind.COMPLETION) {
            return azure ? "/openai/deployments/" + b.deployment() + "/chat/completions" + version : "/chat/completions";
        }
        return azure ? "/openai/models" + version : "/models";
    }

    public void stop() {
        timers.forEach(vertx::cancelTimer);
    }
}
