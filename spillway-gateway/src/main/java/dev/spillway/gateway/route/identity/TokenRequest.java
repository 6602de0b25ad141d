package dev.spillway.gateway.route.identity;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.RequestOptions;

/**
 * How to ask one token endpoint for one token: Entra's client-credentials form, the instance
 * metadata endpoint, the App Service identity endpoint or a workload identity's federated exchange.
 * Prepared afresh for every fetch, since a body may come from a file that is rotated (a projected
 * service-account token). Stateless; shared by one {@link TokenSource}.
 */
public interface TokenRequest {
    /** A request ready to send; {@code body} is empty for a GET. */
    record Prepared(RequestOptions options, Buffer body) {
    }

    Future<Prepared> prepare();

    /** Names the endpoint in error messages (its host, never a credential). */
    String endpoint();
}
