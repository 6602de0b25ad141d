package dev.spillway.gateway.reload;

import dev.spillway.core.config.ConfigException;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.gateway.config.GatewayConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The config file on disk (a mounted ConfigMap is one: Kubernetes swaps its content through a
 * symbolic link, so the path's bytes change at once). {@code reader} turns the whole document into
 * the gateway's section, with the validation the command that started the gateway used.
 * Thread-safe.
 */
public final class ConfigFile implements ConfigSource {
    private final Path file;
    private final Map<String, String> environment;
    private final Function<ConfigNode, GatewayConfig> reader;

    public ConfigFile(Path file, Map<String, String> environment, Function<ConfigNode, GatewayConfig> reader) {
        this.file = file;
        this.environment = environment;
        this.reader = reader;
    }

    @Override
    public String name() {
        return file.toString();
    }

    @Override
    public String digest() {
        try {
            return sha256(Files.readAllBytes(file));
        } catch (IOException e) {
            // A file mid-replacement may be briefly missing: a change to look at again next time.
            return "unreadable: " + e;
        }
    }

    @Override
    public Loaded load() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(List.of(file + ": no such file"));
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": cannot read: " + e.getMessage()));
        }
        ConfigNode root = ConfigLoader.parse(new String(bytes, StandardCharsets.UTF_8), environment);
        GatewayConfig config = reader.apply(root);
        return new Loaded(sha256(bytes), root.child("gateway").json(), config);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
