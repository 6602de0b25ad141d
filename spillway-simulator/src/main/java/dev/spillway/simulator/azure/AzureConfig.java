package dev.spillway.simulator.azure;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.Secret;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The simulator's {@code azure:} section: it then also plays the managed-identity endpoints (the
 * instance metadata endpoint, the App Service identity endpoint, Entra's token endpoint for
 * workload identity) and Key Vault's secrets API. {@code identity-header} is the
 * {@code IDENTITY_HEADER} the identity endpoint expects, {@code federated-token} the assertion Entra
 * accepts, {@code token-lifetime} how long issued tokens live (default 1h), {@code secrets} the
 * vault's initial secrets (a list of {@code {name, value}}). With {@code require-token} (default true) deployments accept only an
 * issued token for {@code https://cognitiveservices.azure.com}, as a resource with local auth
 * disabled does. Immutable.
 */
public record AzureConfig(Optional<Secret> identityHeader, Optional<Secret> federatedToken, Duration tokenLifetime,
        boolean requireToken, Map<String, String> secrets) {

    public AzureConfig {
        if (tokenLifetime.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("token-lifetime: must be at least 1s, was " + tokenLifetime);
        }
        secrets = Map.copyOf(secrets);
    }

    public static AzureConfig from(ConfigNode n) {
        n.allowOnly("identity-header", "federated-token", "token-lifetime", "require-token", "secrets");
        Map<String, String> secrets = new LinkedHashMap<>();
        n.list("secrets", item -> {
            item.allowOnly("name", "value");
            String name = item.requiredString("name");
            String value = item.requiredString("value");
            if (name != null && value != null) secrets.put(name, value);
            return name;
        });
        return n.build(() -> new AzureConfig(
                n.has("identity-header") ? Optional.ofNullable(n.secret("identity-header")) : Optional.empty(),
                n.has("federated-token") ? Optional.ofNullable(n.secret("federated-token")) : Optional.empty(),
                n.duration("token-lifetime", Duration.ofHours(1)),
                n.bool("require-token", true),
                secrets));
    }
}
