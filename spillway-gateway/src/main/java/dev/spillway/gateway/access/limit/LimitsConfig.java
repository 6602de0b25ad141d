package dev.spillway.gateway.access.limit;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.gateway.access.keys.KeyLimits;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * {@code gateway.limits}: the {@code max_tokens} default and cap, the fail mode of each limit class
 * (rates, token quotas, money budgets), limits per app, team and user ({@code name: "*"} applies to
 * every user). Key limits live on the keys; what money a request costs comes from the one price
 * table, {@code gateway.prices}. Immutable.
 */
public record LimitsConfig(long defaultMaxTokens, long maxTokensCap, FailMode rateFailMode, FailMode quotaFailMode,
        FailMode budgetFailMode, Map<String, KeyLimits> apps, Map<String, KeyLimits> teams,
        Map<String, KeyLimits> users) {
    public static final LimitsConfig DEFAULT = new LimitsConfig(1024, 16_384, FailMode.LOCAL_FALLBACK,
            FailMode.CLOSED, FailMode.CLOSED, Map.of(), Map.of(), Map.of());

    public LimitsConfig {
        if (defaultMaxTokens <= 0) throw new IllegalArgumentException("default-max-tokens: must be > 0, was " + defaultMaxTokens);
        if (maxTokensCap < defaultMaxTokens) {
            throw new IllegalArgumentException("max-tokens-cap: must be >= default-max-tokens, was " + maxTokensCap);
        }
        apps = Map.copyOf(apps);
        teams = Map.copyOf(teams);
        users = Map.copyOf(users);
    }

    public static LimitsConfig from(ConfigNode n) {
        n.allowOnly("default-max-tokens", "max-tokens-cap", "fail-policy", "apps", "teams", "users");
        ConfigNode fail = n.child("fail-policy");
        fail.allowOnly("rate", "quota", "budget");
        LimitsConfig d = DEFAULT;
        Map<String, KeyLimits> apps = named(n, "apps");
        Map<String, KeyLimits> teams = named(n, "teams");
        Map<String, KeyLimits> users = named(n, "users");
        return n.build(() -> new LimitsConfig(n.longValue("default-max-tokens", d.defaultMaxTokens()),
                n.longValue("max-tokens-cap", d.maxTokensCap()), fail.choice("rate", FailMode.class, d.rateFailMode()),
                fail.choice("quota", FailMode.class, d.quotaFailMode()),
                fail.choice("budget", FailMode.class, d.budgetFailMode()), apps, teams, users));
    }

    private static Map<String, KeyLimits> named(ConfigNode n, String key) {
        return n.list(key, item -> {
            item.allowOnly("name", "requests-per-minute", "tokens-per-minute", "tokens-per-day", "tokens-per-month",
                    "budget-per-month-usd");
            String name = item.requiredString("name");
            KeyLimits limits = item.build(() -> new KeyLimits(count(item, "requests-per-minute"),
                    count(item, "tokens-per-minute"), count(item, "tokens-per-day"), count(item, "tokens-per-month"),
                    item.exactDecimal("budget-per-month-usd")));
            return name == null || limits == null ? null : Map.entry(name, limits);
        }).stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> b));
    }

    private static OptionalLong count(ConfigNode n, String key) {
        return n.has(key) ? OptionalLong.of(n.longValue(key, 0)) : OptionalLong.empty();
    }
}
