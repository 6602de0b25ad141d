package dev.spillway.simulator.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.simulator.DeploymentConfig;
import io.vertx.core.buffer.Buffer;
import java.time.InstantSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The model lists: Azure's {@code GET /openai/models} lists the models behind the deployments with
 * their capabilities; the OpenAI-style {@code /v1/models} and {@code /openai/v1/models} list the
 * deployment names, which is what clients put in {@code model}. Built once; thread-safe.
 */
final class ModelList {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Buffer azure;
    private final Buffer openAi;

    ModelList(List<DeploymentConfig> deployments, InstantSource clock) {
        long created = clock.instant().getEpochSecond();
        this.azure = azure(deployments, created);
        this.openAi = openAi(deployments, created);
    }

    Buffer body(String path) {
        return path.equals("/openai/models") ? azure : openAi;
    }

    private static Buffer azure(List<DeploymentConfig> deployments, long created) {
        ArrayNode data = NODES.arrayNode();
        Set<String> seen = new LinkedHashSet<>();
        for (DeploymentConfig d : deployments) {
            if (!seen.add(d.model())) continue;
            ObjectNode m = data.addObject();
            m.put("id", d.model()).put("object", "model").put("created_at", created).put("status", "succeeded")
                    .put("lifecycle_status", "generally-available");
            m.putObject("capabilities").put("chat_completion", !d.servesEmbeddings())
                    .put("completion", !d.servesEmbeddings()).put("embeddings", d.servesEmbeddings())
                    .put("fine_tune", false).put("inference", true);
        }
        return list(data);
    }

    private static Buffer openAi(List<DeploymentConfig> deployments, long created) {
        ArrayNode data = NODES.arrayNode();
        for (DeploymentConfig d : deployments) {
            data.addObject().put("id", d.name()).put("object", "model").put("created", created)
                    .put("owned_by", "system");
        }
        return list(data);
    }

    private static Buffer list(ArrayNode data) {
        ObjectNode root = NODES.objectNode();
        root.set("data", data);
        root.put("object", "list");
        return Buffer.buffer(root.toString());
    }
}
