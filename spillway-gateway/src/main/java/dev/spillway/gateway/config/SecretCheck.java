package dev.spillway.gateway.config;

import dev.spillway.core.config.Secret;
import dev.spillway.gateway.audit.AuditKey;
import dev.spillway.gateway.audit.AuditProtection;
import dev.spillway.gateway.audit.Keyring;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the secrets of a gateway config that name an environment variable or file that is not
 * there now ({@code spillway config check} and a config reload refuse such a file). Key Vault
 * references are fetched by the gateway with its managed identity, not checked here. Stateless.
 */
public final class SecretCheck {
    private SecretCheck() {
    }

    /** One {@code path: reason} per secret that cannot be read now. */
    public static List<String> unresolved(GatewayConfig g) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < g.keys().size(); i++) check(problems, "gateway.keys[" + i + "].key", g.keys().get(i).key());
        for (int i = 0; i < g.backends().size(); i++) {
            BackendConfig b = g.backends().get(i);
            int index = i;
            b.secret().ifPresent(s -> check(problems, "gateway.backends[" + index + "].secret", s));
        }
        AuditProtection audit = g.accounting().audit().protection();
        check(problems, "gateway.audit.chain-keys", audit.chainKeys());
        check(problems, "gateway.audit.body-keys", audit.bodyKeys());
        return problems;
    }

    /** Each audit key must resolve to at least {@link AuditKey#MIN_LENGTH} characters. */
    private static void check(List<String> problems, String path, Keyring keys) {
        for (int i = 0; i < keys.keys().size(); i++) {
            if (keys.keys().get(i).secret().vaultSecret().isPresent()) continue;
            try {
                keys.keys().get(i).material();
            } catch (RuntimeException e) {
                problems.add(path + "[" + i + "].secret: " + e.getMessage());
            }
        }
    }

    private static void check(List<String> problems, String path, Secret secret) {
        if (secret.vaultSecret().isPresent()) return;
        try {
            secret.value();
        } catch (RuntimeException e) {
            problems.add(path + ": " + e.getMessage());
        }
    }
}
