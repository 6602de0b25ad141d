package dev.spillway.gateway.safety;

import dev.spillway.gateway.config.BackendConfig;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.access.jwt.JwtIssuerConfig;
import dev.spillway.core.config.Secret;
import dev.spillway.gateway.budget.BudgetAlertsConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The outbound allow-list, {@code safety.outbound-hosts}: when it is set, every host the gateway
 * may call (each backend's {@code url} and OAuth {@code token-url}, each JWT issuer's
 * {@code jwks-uri}, each guard's Content Safety {@code endpoint}, each budget-alert webhook, the
 * console's OpenID {@code issuer}) must match one of its patterns, an exact host or
 * {@code *.suffix}. These URLs come from config, so checking them when the file is read covers
 * every outbound call but the endpoints an OpenID provider's discovery document names, which are
 * checked with {@link #allows} when it is read. Stateless.
 */
public final class OutboundHosts {
    private OutboundHosts() {
    }

    /** One outbound URL outside the list: where it is configured and what is wrong. */
    public record Violation(String path, String message) {}

    public static List<Violation> check(GatewayConfig config) {
        List<String> allowed = config.safety().outboundHosts();
        List<Violation> found = new ArrayList<>();
        if (allowed.isEmpty()) return found;
        for (int i = 0; i < config.backends().size(); i++) {
            BackendConfig b = config.backends().get(i);
            check(allowed, b.url(), "backends[" + i + "].url", found);
            int index = i;
            b.oauth().ifPresent(o -> check(allowed, o.tokenUrl(), "backends[" + index + "].oauth.token-url", found));
        }
        List<JwtIssuerConfig> issuers = config.access().jwt().issuers();
        for (int i = 0; i < issuers.size(); i++) check(allowed, issuers.get(i).jwksUri(), "jwt.issuers[" + i + "].jwks-uri", found);
        config.console().signIn().oidc().ifPresent(o -> check(allowed, o.provider().issuer(),
                "console.sign-in.oidc.issuer", found));
        List<GuardConfig> guards = config.safety().guards();
        for (int i = 0; i < guards.size(); i++) {
            int index = i;
            guards.get(i).contentSafety().ifPresent(cs -> check(allowed, cs.endpoint(),
                    "safety.guards[" + index + "].content-safety.endpoint", found));
        }
        List<BudgetAlertsConfig.Webhook> hooks = config.accounting().budgetAlerts().webhooks();
        for (int i = 0; i < hooks.size(); i++) checkSecret(allowed, hooks.get(i).url(), "budget-alerts.webhooks[" + i + "].url", found);
        return found;
    }

    /** Whether the gateway may call {@code uri}: always without a list, else when its host matches. */
    public static boolean allows(GatewayConfig config, URI uri) {
        List<String> allowed = config.safety().outboundHosts();
        return allowed.isEmpty() || permitted(allowed, uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT));
    }

    /** A URL held as a secret; one that cannot be read now is checked again before each use. */
    private static void checkSecret(List<String> allowed, Secret url, String path, List<Violation> found) {
        URI uri;
        try {
            uri = URI.create(url.value());
        } catch (RuntimeException unreadable) {
            return;
        }
        check(allowed, uri, path, found);
    }

    private static void check(List<String> allowed, URI uri, String path, List<Violation> found) {
        String host = uri == null || uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (!permitted(allowed, host)) {
            found.add(new Violation(path, "host '" + host + "' is not in safety.outbound-hosts " + allowed));
        }
    }

    /** Whether {@code host} matches one of the {@code allowed} patterns (an exact host or {@code *.suffix}). */
    public static boolean permitted(List<String> allowed, String host) {
        for (String pattern : allowed) {
            String p = pattern.toLowerCase(Locale.ROOT);
            if (p.startsWith("*.") ? host.endsWith(p.substring(1)) : host.equals(p)) return true;
        }
        return false;
    }
}
