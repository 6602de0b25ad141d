package dev.spillway.core.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A secret value named in config as {@code ${env:NAME}}, {@code ${file:PATH}},
 * {@code ${keyvault:https://VAULT.vault.azure.net/secrets/NAME}} or, for local demos only, a literal.
 * The value is read when asked for, so a rotated file or environment takes effect without a restart;
 * a file is re-read at most once a second. A Key Vault secret holds the value its owner last fetched
 * ({@link #vaultValue(String)}; the gateway's {@code azure.KeyVaultSecrets} refreshes it on a
 * schedule). Never printed: {@link #toString()} names the source only. Thread-safe.
 */
public final class Secret {
    private static final long FILE_RECHECK_NANOS = 1_000_000_000L;
    private static final String KEYVAULT = "${keyvault:";

    private final String reference;
    private final Function<String, String> env;
    private final Optional<URI> vaultSecret;
    private volatile String cached;
    private volatile long cachedAt;

    private Secret(String reference, Function<String, String> env) {
        this.reference = Objects.requireNonNull(reference);
        this.env = env;
        this.vaultSecret = reference.startsWith(KEYVAULT) ? Optional.of(vaultUri(reference)) : Optional.empty();
    }

    /** Parses a reference; rejects an unknown {@code ${kind:...}} form. */
    public static Secret parse(String reference, Map<String, String> environment) {
        if (reference.startsWith("${") && reference.endsWith("}")) {
            String body = reference.substring(2, reference.length() - 1);
            if (!(body.startsWith("env:") || body.startsWith("file:") || body.startsWith("keyvault:"))
                    || body.indexOf(':') == body.length() - 1) {
                throw new IllegalArgumentException("must be ${env:NAME}, ${file:PATH}, "
                        + "${keyvault:https://VAULT.vault.azure.net/secrets/NAME} or a literal, was '" + reference + "'");
            }
        }
        return new Secret(reference, environment::get);
    }

    public static Secret literal(String value) {
        return new Secret(value, name -> null);
    }

    /** The secret's current value; throws {@link IllegalStateException} naming the source if it is missing. */
    public String value() {
        if (vaultSecret.isPresent()) {
            String v = cached;
            if (v == null) throw new IllegalStateException("Key Vault secret " + vaultSecret.get() + " has not been fetched");
            return v;
        }
        if (reference.startsWith("${env:")) {
            String name = reference.substring(6, reference.length() - 1);
            String v = env.apply(name);
            if (v == null || v.isEmpty()) throw new IllegalStateException("environment variable " + name + " is not set");
            return v;
        }
        if (reference.startsWith("${file:")) return fromFile(Path.of(reference.substring(7, reference.length() - 1)));
        return reference;
    }

    /** Whether the value can be read now; used by `config check` to report a missing variable or file. */
    public boolean isResolvable() {
        try {
            value();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The Key Vault secret's URL ({@code https://VAULT/secrets/NAME[/VERSION]}) when this is a vault reference. */
    public Optional<URI> vaultSecret() {
        return vaultSecret;
    }

    /** Sets a Key Vault secret's value, as just fetched; its owner calls this on every refresh. */
    public void vaultValue(String value) {
        if (vaultSecret.isEmpty()) throw new IllegalStateException(this + " is not a Key Vault reference");
        cached = Objects.requireNonNull(value);
    }

    /**
     * Checks the form Key Vault's REST API addresses a secret by: an https URL whose path is
     * {@code /secrets/NAME} or {@code /secrets/NAME/VERSION}, names of 1-127 letters, digits and dashes
     * (learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates#object-identifiers).
     */
    private static URI vaultUri(String reference) {
        String text = reference.substring(KEYVAULT.length(), reference.length() - 1);
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || !"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getQuery() != null
                || uri.getPath() == null || !uri.getPath().matches("/secrets/[0-9A-Za-z-]{1,127}(/[0-9A-Za-z]+)?")) {
            throw new IllegalArgumentException("a Key Vault reference must be ${keyvault:https://VAULT.vault.azure.net"
                    + "/secrets/NAME} (optionally /VERSION), was '" + reference + "'");
        }
        return uri;
    }

    private String fromFile(Path path) {
        long now = System.nanoTime();
        String v = cached;
        if (v != null && now - cachedAt < FILE_RECHECK_NANOS) return v;
        try {
            v = Files.readString(path).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read secret file " + path, e);
        }
        cached = v;
        cachedAt = now;
        return v;
    }

    @Override
    public String toString() {
        return reference.startsWith("${") ? reference : "<literal secret>";
    }
}
