package dev.spillway.gateway.reload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.spillway.gateway.access.AccessConfig;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.config.ServerLimits;
import dev.spillway.gateway.ledger.AccountingConfig;
import dev.spillway.core.config.Secret;
import dev.spillway.gateway.vault.KeyVaultConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings a reload cannot apply, because what they configure is built once at start: the
 * listener (address, port, body limits, connection limits, TLS files' paths), the stores and the
 * database, the data directory, ledger, audit, telemetry and export, the admin key, the cache's
 * stores, the batch lane, the console and sign-in, the managed identity and the watch itself. A
 * reloaded file that changes one of them is still applied for everything else; each such key is
 * reported as needing a restart and keeps its running value. Stateless.
 */
public final class RestartOnly {
    /** The keys of {@code gateway:} that need a restart, as written in the file. */
    public static final List<String> KEYS = keys();

    private RestartOnly() {
    }

    private static List<String> keys() {
        List<String> keys = new ArrayList<>(List.of("host", "port", "max-body-size", "body-timeout", "admin",
                "store", "database", "tls", "batch", "cache", "console", "identity", "reload"));
        keys.addAll(ServerLimits.KEYS);
        AccountingConfig.KEYS.stream().filter(k -> !k.equals("prices")).forEach(keys::add);
        return List.copyOf(keys);
    }

    /** Each restart-only key whose value differs between the two {@code gateway:} sections, as a message. */
    public static List<String> changed(JsonNode running, JsonNode next) {
        List<String> out = new ArrayList<>();
        for (String key : KEYS) {
            if (!at(running, key).equals(at(next, key))) {
                out.add("gateway." + key + ": changed; needs a restart (the running value is kept until then)");
            }
        }
        return out;
    }

    private static JsonNode at(JsonNode section, String key) {
        JsonNode v = section == null ? null : section.get(key);
        return v == null || v.isNull() ? MissingNode.getInstance() : v;
    }

    /**
     * The config to run after a reload: {@code next} with every restart-only setting taken from
     * {@code running}. Throws {@link IllegalArgumentException} when the mix is not valid (a new
     * static key too short under the running {@code allow-short-keys}).
     */
    public static GatewayConfig merge(GatewayConfig running, GatewayConfig next) {
        AccessConfig a = next.access();
        AccessConfig access = new AccessConfig(running.access().store(), running.access().database(),
                running.access().adminKey(), a.keyCacheTtl(), a.callerHeader(), a.jwt(), a.limits());
        AccountingConfig r = running.accounting();
        AccountingConfig accounting = new AccountingConfig(r.dataDir(), r.ledger(), next.accounting().prices(),
                r.audit(), r.telemetry(), r.export(), r.budgetAlerts());
        return new GatewayConfig(running.host(), running.port(), running.maxBodySize(), running.bodyTimeout(),
                next.keys(), next.backends(), next.deployments(), next.region(), running.admin(), next.routing(),
                access, accounting, running.limits(), running.tls(), next.safety(), running.batch(), running.cache(),
                running.console(), running.identity(), keyVault(running.keyVault(), next.keyVault()),
                running.reload());
    }

    /**
     * The reloaded {@code key-vault} section over the references in force: those of the new file,
     * except that a setting kept at its running value keeps its running secret, so the next
     * snapshot's vault client goes on refreshing what the running stores and listener read.
     */
    private static KeyVaultConfig keyVault(KeyVaultConfig running, KeyVaultConfig next) {
        Map<String, Secret> references = new LinkedHashMap<>();
        next.references().forEach((path, secret) -> {
            if (!kept(path)) references.put(path, secret);
        });
        running.references().forEach((path, secret) -> {
            if (kept(path)) references.put(path, secret);
        });
        return new KeyVaultConfig(next.refreshInterval(), next.timeout(), next.endpoint(), references);
    }

    /** Whether a reference's path ({@code gateway.database.password}) is under a restart-only key. */
    private static boolean kept(String path) {
        String key = path.startsWith("gateway.") ? path.substring("gateway.".length()) : path;
        int end = key.length();
        for (char c : new char[] {'.', '['}) {
            int i = key.indexOf(c);
            if (i >= 0) end = Math.min(end, i);
        }
        return KEYS.contains(key.substring(0, end));
    }
}
