package dev.spillway.gateway.audit;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The audit log's keys and anchors (part of {@code gateway.audit}). Immutable, validated.
 *
 * @param chainKeys      {@code chain-keys}, default none: {@code [{id, secret}]}, newest first; the
 *                       first signs new records (HMAC-SHA256), the others verify older ones
 * @param bodyKeys       {@code body-keys}, default none: {@code [{id, secret}]}, newest first; the
 *                       first encrypts new bodies (AES-256-GCM), the others decrypt older ones
 * @param anchorFile     {@code anchor-file}, default none: also anchor the chain's head in this file
 * @param anchorUrl      {@code anchor-url} (and {@code anchor-url-token}, a secret sent as a bearer
 *                       token), default none: also send the head to this service ({@link UrlHeadAnchors})
 * @param anchorInterval {@code anchor-interval}, default 10s: how often a changed head is anchored
 *                       (in the ledger database, when there is one, and the anchor file)
 */
public record AuditProtection(Keyring chainKeys, Keyring bodyKeys, Optional<Path> anchorFile,
        Optional<UrlHeadAnchors> anchorUrl, Duration anchorInterval) {
    public static final Duration DEFAULT_ANCHOR_INTERVAL = Duration.ofSeconds(10);
    public static final AuditProtection NONE =
            new AuditProtection(Keyring.NONE, Keyring.NONE, Optional.empty(), Optional.empty(), DEFAULT_ANCHOR_INTERVAL);

    public AuditProtection {
        Objects.requireNonNull(chainKeys, "chain-keys");
        Objects.requireNonNull(bodyKeys, "body-keys");
        Objects.requireNonNull(anchorFile, "anchor-file");
        Objects.requireNonNull(anchorUrl, "anchor-url");
        if (anchorInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("anchor-interval: must be >= 1s, was " + anchorInterval);
        }
    }

    static final List<String> KEYS = List.of("chain-keys", "body-keys", "anchor-file", "anchor-url", "anchor-url-token",
            "anchor-interval");

    /** Reads its keys of {@code gateway.audit}; a relative anchor file resolves against the data dir. */
    static AuditProtection from(ConfigNode node, Path dataDir) {
        Keyring chain = keyring(node, "chain-keys");
        Keyring body = keyring(node, "body-keys");
        Optional<Path> file = node.optionalString("anchor-file").map(dataDir::resolve);
        Optional<UrlHeadAnchors> url = anchorUrl(node);
        Duration interval = node.duration("anchor-interval", DEFAULT_ANCHOR_INTERVAL);
        // a keyring with a problem was reported already; the rest is still checked
        Keyring c = chain == null ? Keyring.NONE : chain;
        Keyring b = body == null ? Keyring.NONE : body;
        AuditProtection built = node.build(() -> new AuditProtection(c, b, file, url, interval));
        return built == null ? NONE : built;
    }

    private static Optional<UrlHeadAnchors> anchorUrl(ConfigNode node) {
        Optional<String> url = node.optionalString("anchor-url");
        Optional<Secret> token = node.has("anchor-url-token") ? Optional.ofNullable(node.secret("anchor-url-token"))
                : Optional.empty();
        if (url.isEmpty()) return Optional.empty();
        try {
            URI uri = new URI(url.get());
            if (!uri.isAbsolute() || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new URISyntaxException(url.get(), "not an absolute http(s) URL");
            }
            return Optional.of(new UrlHeadAnchors(uri, token));
        } catch (URISyntaxException e) {
            node.problem("anchor-url", "must be an absolute http(s) URL, was '" + url.get() + "'");
            return Optional.empty();
        }
    }

    private static Keyring keyring(ConfigNode node, String key) {
        List<AuditKey> keys = node.list(key, AuditProtection::key);
        try {
            return new Keyring(keys.stream().filter(Objects::nonNull).toList());
        } catch (IllegalArgumentException e) {
            node.problem(key, e.getMessage());
            return null;
        }
    }

    private static AuditKey key(ConfigNode n) {
        n.allowOnly("id", "secret");
        String id = n.requiredString("id");
        Secret secret = n.secret("secret");
        if (id == null || secret == null) return null;
        return n.build(() -> new AuditKey(id, secret));
    }
}
