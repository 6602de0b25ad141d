package dev.spillway.gateway.access;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.access.jwt.JwtConfig;
import dev.spillway.gateway.pipeline.Caller;
import dev.spillway.gateway.pipeline.Chain;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.Reply;
import io.vertx.core.Future;
import java.util.Collections;
import java.util.Set;

/**
 * Request tier, right after validation (when the deployment is known): an app key may call only
 * its allowed deployments, and a JWT caller needs one of the roles the deployment requires
 * ({@code gateway.jwt.required-roles}). Both refusals are 403. Shared; stateless.
 */
public final class AuthorizePolicy implements Policy {
    private final JwtConfig jwt;

    public AuthorizePolicy(JwtConfig jwt) {
        this.jwt = jwt;
    }

    @Override
    public Future<Reply> apply(Exchange exchange, Chain chain) {
        if (exchange.operation() == Operation.MODELS) return chain.proceed(exchange);
        Caller caller = exchange.caller();
        String deployment = exchange.deployment();
        if (!caller.grants().allows(deployment)) {
            throw new SpillwayException.Forbidden("deployment_not_allowed",
                    "This key may not call deployment '" + deployment + "'.");
        }
        if (!hasRole(caller, deployment, jwt)) {
            Set<String> required = jwt.rolesFor(deployment);
            throw new SpillwayException.Forbidden("role_required", "Deployment '" + deployment
                    + "' requires one of the roles " + String.join(", ", required.stream().sorted().toList()) + ".");
        }
        return chain.proceed(exchange);
    }

    /** Whether {@code caller} may call {@code deployment}: the one rule, also for lists shown to it. */
    public static boolean mayCall(Caller caller, String deployment, JwtConfig jwt) {
        return caller.grants().allows(deployment) && hasRole(caller, deployment, jwt);
    }

    private static boolean hasRole(Caller caller, String deployment, JwtConfig jwt) {
        Set<String> required = jwt.rolesFor(deployment);
        return !caller.grants().viaJwt() || required.isEmpty() || !Collections.disjoint(required, caller.grants().roles());
    }
}
