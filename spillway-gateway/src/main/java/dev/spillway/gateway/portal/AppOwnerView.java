package dev.spillway.gateway.portal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.access.keys.AppKey;
import dev.spillway.gateway.access.keys.KeyJson;
import dev.spillway.gateway.access.keys.KeyLimits;
import dev.spillway.gateway.access.keys.KeyService;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.ledger.Dimension;
import dev.spillway.gateway.ledger.LedgerSpend;
import dev.spillway.gateway.ledger.UsageStore;
import dev.spillway.gateway.ledger.UsageTotals;
import dev.spillway.gateway.pipeline.Caller;
import dev.spillway.gateway.signin.SignedIn;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an app owner sees of their own apps on the portal ({@code GET /portal/api/me}), by app key
 * or by signed-in session: the app's keys (never a secret or hash), the limits on the key and on
 * the app, and this month's usage and spend from the ledger. Blocking (key store, ledger): call from a worker.
 * Thread-safe; one per gateway.
 */
final class AppOwnerView {
    private final Supplier<GatewayConfig> config;
    private final KeyService keys;
    private final Optional<UsageStore> usage;
    private final Clock clock;

    AppOwnerView(Supplier<GatewayConfig> config, KeyService keys, Optional<UsageStore> usage, Clock clock) {
        this.config = config;
        this.keys = keys;
        this.usage = usage;
        this.clock = clock;
    }

    /** The view for an app key (or JWT) caller: the key itself, and its app. */
    ObjectNode describe(Caller caller) throws Exception {
        ObjectNode me = Json.MAPPER.createObjectNode().put("via", "key");
        me.put("key_name", caller.keyName()).put("app", caller.app()).put("team", caller.team())
                .put("key_prefix", caller.keyPrefix());
        ArrayNode allowed = me.putArray("deployments");
        config.get().deployments().stream().map(d -> d.name()).filter(caller.grants()::allows).sorted().forEach(allowed::add);
        me.set("key_limits", KeyJson.limits(caller.grants().limits()));
        List<AppKey> all = keys.list();
        me.setAll(app(caller.app(), all, clock.instant()));
        return me;
    }

    /**
     * The view for a signed-in session (the console's sign-in, {@code signin}): an app owner sees
     * the apps of the keys whose owner they are (the console's rule, {@code console.Permissions});
     * admins and viewers see every app with a key or configured limits.
     */
    ObjectNode describe(SignedIn who) throws Exception {
        ObjectNode me = Json.MAPPER.createObjectNode().put("via", "session").put("subject", who.subject())
                .put("role", who.role().wire());
        List<AppKey> all = keys.list();
        Set<String> apps = new TreeSet<>();
        for (AppKey k : all) if (who.seesAllApps() || k.owner().equals(Optional.of(who.subject()))) apps.add(k.app());
        if (who.seesAllApps()) apps.addAll(config.get().access().limits().apps().keySet());
        ArrayNode list = me.putArray("apps");
        Instant now = clock.instant();
        for (String app : apps) list.add(app(app, all, now));
        return me;
    }

    /** One app: its configured limits, its keys (metadata only) and this month's usage. */
    private ObjectNode app(String app, List<AppKey> all, Instant now) {
        ObjectNode out = Json.MAPPER.createObjectNode().put("app", app);
        out.set("app_limits", KeyJson.limits(config.get().access().limits().apps().getOrDefault(app, KeyLimits.NONE)));
        ArrayNode appKeys = out.putArray("keys");
        for (AppKey k : all) {
            if (k.app().equals(app)) appKeys.add(KeyJson.describe(k).put("active", k.activeAt(now)));
        }
        usage.ifPresent(store -> out.set("usage", month(store, app, now)));
        return out;
    }

    private ObjectNode month(UsageStore store, String app, Instant now) {
        YearMonth month = YearMonth.from(now.atZone(ZoneOffset.UTC));
        Instant from = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        long requests = 0;
        long prompt = 0;
        long completion = 0;
        long costNanos = 0;
        ObjectNode out = Json.MAPPER.createObjectNode().put("period", month.toString());
        try {
            for (UsageTotals t : store.totals(from, to, Dimension.APP)) {
                if (!t.key().equals(app)) continue;
                requests += t.requests();
                prompt += t.promptTokens();
                completion += t.completionTokens();
                costNanos += t.costNanos();
            }
            long budgetMicros = new LedgerSpend(store, () -> config.get().accounting().prices()).microUsdByApp(from, to)
                    .getOrDefault(app, 0L);
            out.put("requests", requests).put("prompt_tokens", prompt).put("completion_tokens", completion)
                    .put("cost_usd", BigDecimal.valueOf(costNanos, 9).stripTrailingZeros().toPlainString())
                    .put("budget_spent_usd", BigDecimal.valueOf(budgetMicros, 6).stripTrailingZeros().toPlainString());
        } catch (Exception e) {
            out.put("unavailable", "the ledger could not be read: " + e.getClass().getSimpleName());
        }
        return out;
    }
}
