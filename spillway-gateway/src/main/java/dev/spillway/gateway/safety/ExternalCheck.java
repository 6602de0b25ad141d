package dev.spillway.gateway.safety;

import io.vertx.core.Future;
import java.util.List;

/**
 * A check that asks a service about the prompt: {@link ContentSafetyClient} in the gateway, a fake
 * in tests. Answers the findings, or fails (error, timeout) and leaves the fail-open/closed choice
 * to the policy. Shared; thread-safe; never blocks.
 */
public interface ExternalCheck {
    Future<List<Finding>> check(ContentSafetyConfig config, Action action, List<String> prompts, List<String> documents);

    /** For a gateway built without one: every call fails, so a guard that needs it fails as configured. */
    ExternalCheck NONE = (config, action, prompts, documents) ->
            Future.failedFuture(new IllegalStateException("no external check is wired into this gateway"));
}
