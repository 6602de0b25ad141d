package dev.spillway.chat;

import dev.spillway.chat.auth.LocalUser;
import dev.spillway.chat.auth.ChatOidcConfig;
import dev.spillway.chat.flow.SearchSettings;
import dev.spillway.chat.history.HistoryConfig;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.Secret;
import dev.spillway.core.net.ListenerLimits;
import dev.spillway.core.tls.TlsConfig;
import dev.spillway.retrieval.SearchMode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code chat:} section: where the app listens, how it reaches the model (only through the
 * gateway, trusting {@code gateway-ca-file} when set), who may sign in, where history lives, the
 * flow's defaults, the listener's connection limits ({@code listener:}, shared with the gateway),
 * its {@code tls} (absent: plain HTTP), the example questions on the empty screen and where traces
 * go. Immutable.
 */
public record ChatConfig(
        String host,
        int port,
        URI gatewayUrl,
        Secret gatewayKey,
        String deployment,
        String apiVersion,
        Duration modelTimeout,
        List<LocalUser> users,
        Optional<ChatOidcConfig> oidc,
        HistoryConfig history,
        Duration sessionTtl,
        boolean secureCookies,
        SearchSettings defaults,
        Optional<Path> flowFile,
        int historyTokenBudget,
        ListenerLimits listener,
        Optional<TlsConfig> tls,
        Optional<Path> gatewayCaFile,
        List<String> exampleQuestions,
        Optional<URI> otlpEndpoint) {

    public ChatConfig {
        Objects.requireNonNull(host, "host: is required");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port: must be 0-65535, was " + port);
        Objects.requireNonNull(gatewayUrl, "gateway-url: is required");
        String scheme = String.valueOf(gatewayUrl.getScheme());
        if (!scheme.equals("http") && !scheme.equals("https") || gatewayUrl.getHost() == null) {
            throw new IllegalArgumentException("gateway-url: must be an absolute http(s) URL, was '" + gatewayUrl + "'");
        }
        Objects.requireNonNull(gatewayKey, "gateway-key: is required");
        if (deployment == null || deployment.isBlank()) throw new IllegalArgumentException("deployment: must not be empty");
        if (modelTimeout.isNegative() || modelTimeout.isZero()) {
            throw new IllegalArgumentException("model-timeout: must be > 0, was " + modelTimeout);
        }
        users = List.copyOf(users);
        if (sessionTtl.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("session-ttl: must be at least 1m, was " + sessionTtl);
        }
        if (historyTokenBudget < 0) {
            throw new IllegalArgumentException("history-token-budget: must be >= 0, was " + historyTokenBudget);
        }
        Objects.requireNonNull(tls, "tls");
        if (gatewayCaFile.isPresent() && !scheme.equals("https")) {
            throw new IllegalArgumentException("gateway-ca-file: applies to an https gateway-url only, was '"
                    + gatewayUrl + "'");
        }
        exampleQuestions = List.copyOf(exampleQuestions);
        Objects.requireNonNull(otlpEndpoint, "otlpEndpoint");
        otlpEndpoint.ifPresent(u -> {
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
                throw new IllegalArgumentException("otlp-endpoint: must be an absolute http(s) URL, was '" + u + "'");
            }
        });
        if (exampleQuestions.size() > 8 || exampleQuestions.stream().anyMatch(q -> q.isBlank() || q.length() > 200)) {
            throw new IllegalArgumentException("example-questions: at most 8 questions of 1-200 characters each");
        }
    }

    /** Reads the {@code chat:} node; problems are recorded on the node with their paths. */
    public static ChatConfig from(ConfigNode node) {
        node.allowOnly("host", "port", "gateway-url", "gateway-key", "deployment", "api-version", "model-timeout",
                "users", "oidc", "history", "session-ttl", "secure-cookies", "defaults", "flow-file",
                "history-token-budget", "retrieval", "listener", "tls", "gateway-ca-file", "example-questions",
                "otlp-endpoint");
        String url = node.string("gateway-url", "http://127.0.0.1:8080");
        URI gateway = parseUri(node, "gateway-url", url);
        List<LocalUser> users = node.list("users", LocalUser::from);
        Optional<ChatOidcConfig> oidc = node.has("oidc") ? Optional.ofNullable(node.object("oidc", ChatOidcConfig::from))
                : Optional.empty();
        HistoryConfig history = node.object("history", HistoryConfig::from);
        SearchSettings defaults = node.object("defaults", ChatConfig::defaults);
        Secret key = node.secret("gateway-key");
        Optional<Path> flow = node.optionalString("flow-file").map(Path::of);
        ListenerLimits listener = node.object("listener", ListenerLimits::from);
        Optional<TlsConfig> tls = TlsConfig.from(node);
        Optional<Path> gatewayCa = node.optionalString("gateway-ca-file").map(Path::of);
        gatewayCa.filter(f -> !java.nio.file.Files.isReadable(f))
                .ifPresent(f -> node.problem("gateway-ca-file", "no readable file at '" + f.toAbsolutePath() + "'"));
        Optional<URI> otlp = node.optionalString("otlp-endpoint").map(u -> parseUri(node, "otlp-endpoint", u));
        return node.build(() -> new ChatConfig(
                node.string("host", "127.0.0.1"),
                node.integer("port", 8090),
                gateway,
                key,
                node.string("deployment", "gpt-4o-mini"),
                node.string("api-version", "2024-10-21"),
                node.duration("model-timeout", Duration.ofSeconds(60)),
                users,
                oidc,
                history == null ? HistoryConfig.sqlite("data/chat.db") : history,
                node.duration("session-ttl", Duration.ofHours(8)),
                node.bool("secure-cookies", false),
                defaults == null ? SearchSettings.DEFAULT : defaults,
                flow,
                node.integer("history-token-budget", 2000),
                listener,
                tls,
                gatewayCa,
                node.strings("example-questions"),
                otlp));
    }

    private static SearchSettings defaults(ConfigNode node) {
        node.allowOnly("search-mode", "top-k", "temperature");
        return node.build(() -> new SearchSettings(
                node.choice("search-mode", SearchMode.class, SearchMode.HYBRID),
                node.integer("top-k", 3),
                node.decimal("temperature", 0.3)));
    }

    private static URI parseUri(ConfigNode node, String key, String url) {
        try {
            return URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException e) {
            node.problem(key, "must be an absolute http(s) URL, was '" + url + "'");
            return URI.create("http://invalid");
        }
    }
}
