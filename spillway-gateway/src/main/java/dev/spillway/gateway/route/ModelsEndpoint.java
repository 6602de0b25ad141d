package dev.spillway.gateway.route;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.config.DeploymentConfig;
import dev.spillway.gateway.config.GatewayConfig;
import io.vertx.core.buffer.Buffer;

/** Answers {@code GET .../models} with the deployment aliases this gateway serves, in OpenAI's list shape. */
public final class ModelsEndpoint {
    private final Buffer body;

    public ModelsEndpoint(GatewayConfig config) {
        ObjectNode list = Json.MAPPER.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        for (DeploymentConfig d : config.deployments()) {
            data.addObject().put("id", d.name()).put("object", "model").put("created", 0).put("owned_by", "spillway");
        }
        this.body = Buffer.buffer(list.toString());
    }

    public Buffer body() {
        return body;
    }
}
