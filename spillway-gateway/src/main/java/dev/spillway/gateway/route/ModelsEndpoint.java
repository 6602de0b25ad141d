package dev.spillway.gateway.route;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.access.AuthorizePolicy;
import dev.spillway.gateway.config.DeploymentConfig;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.pipeline.Caller;
import io.vertx.core.buffer.Buffer;

/**
 * Answers {@code GET .../models} with the deployment aliases the caller may call, in OpenAI's
 * list shape (a key limited to some deployments sees only those). Stateless; shared.
 */
public final class ModelsEndpoint {
    private final GatewayConfig config;

    public ModelsEndpoint(GatewayConfig config) {
        this.config = config;
    }

    public Buffer body(Caller caller) {
        ObjectNode list = Json.MAPPER.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        for (DeploymentConfig d : config.deployments()) {
            if (!AuthorizePolicy.mayCall(caller, d.name(), config.access().jwt())) continue;
            data.addObject().put("id", d.name()).put("object", "model").put("created", 0).put("owned_by", "spillway");
        }
        return Buffer.buffer(list.toString());
    }
}
