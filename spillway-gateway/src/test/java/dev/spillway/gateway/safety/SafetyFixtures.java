package dev.spillway.gateway.safety;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.pipeline.Caller;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.FrontDoor;
import dev.spillway.gateway.testkit.Exchanges;
import java.util.Map;

/** Builders for the safety tests: config from YAML and exchanges of a given app. */
final class SafetyFixtures {
    private SafetyFixtures() {
    }

    /** {@code guards} is the YAML list under {@code safety.guards}, indented by two spaces. */
    static SafetyConfig config(String guards) {
        ConfigNode root = ConfigLoader.parse("safety:\n  guards:\n" + guards, Map.of());
        SafetyConfig config = SafetyConfig.from(root.child("safety"));
        root.throwIfInvalid();
        return config;
    }

    static Exchange exchange(Operation op, String app) {
        Exchange e = Exchanges.raw(FrontDoor.OPENAI, op, "gpt-4o", "");
        e.caller(new Caller(app + "-key", app, "", "", "sk-spw-ab"));
        return e;
    }
}
