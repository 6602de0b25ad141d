package dev.spillway.simulator.http;

import dev.spillway.core.wire.Operation;
import java.util.Optional;

/**
 * A matched request path: the operation (empty for the model list), the deployment named in the
 * path (Azure style) or none (OpenAI style, deployment from the body's {@code model}). Immutable.
 */
record Route(Optional<Operation> operation, Optional<String> pathDeployment) {
    private static final String AZURE_PREFIX = "/openai/deployments/";

    boolean listsModels() {
        return operation.isEmpty();
    }

    /** Azure's dated routes require {@code api-version}; the v1 routes do not. */
    boolean requiresApiVersion() {
        return pathDeployment.isPresent();
    }

    static Optional<Route> match(String path) {
        if (path.startsWith(AZURE_PREFIX)) {
            String rest = path.substring(AZURE_PREFIX.length());
            int slash = rest.indexOf('/');
            if (slash <= 0) return Optional.empty();
            String deployment = rest.substring(0, slash);
            // The Responses API has no deployment route: only /openai/v1/responses.
            return operation(rest.substring(slash)).filter(op -> op != Operation.RESPONSES)
                    .map(op -> new Route(Optional.of(op), Optional.of(deployment)));
        }
        String rest = path.startsWith("/openai/v1/") ? path.substring(10)
                : path.startsWith("/v1/") ? path.substring(3) : null;
        if (rest == null) {
            return path.equals("/openai/models") ? Optional.of(models()) : Optional.empty();
        }
        if (rest.equals("/models")) return Optional.of(models());
        return operation(rest).map(op -> new Route(Optional.of(op), Optional.empty()));
    }

    private static Route models() {
        return new Route(Optional.empty(), Optional.empty());
    }

    private static Optional<Operation> operation(String suffix) {
        return switch (suffix) {
            case "/chat/completions" -> Optional.of(Operation.CHAT_COMPLETIONS);
            case "/completions" -> Optional.of(Operation.COMPLETIONS);
            case "/embeddings" -> Optional.of(Operation.EMBEDDINGS);
            case "/responses" -> Optional.of(Operation.RESPONSES);
            default -> Optional.empty();
        };
    }
}
