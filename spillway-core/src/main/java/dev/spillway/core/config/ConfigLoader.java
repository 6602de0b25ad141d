package dev.spillway.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reads a YAML config file into a {@link ConfigNode} root; syntax errors carry line and column. */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ConfigLoader() {
    }

    public static ConfigNode read(Path file, Map<String, String> environment) {
        try {
            return parse(Files.readString(file), environment);
        } catch (NoSuchFileException e) {
            throw new ConfigException(List.of(file + ": no such file"));
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": cannot read: " + e.getMessage()));
        }
    }

    public static ConfigNode parse(String yaml, Map<String, String> environment) {
        try {
            JsonNode tree = YAML.readTree(yaml);
            return ConfigNode.root(tree, environment);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ConfigException(List.of("(yaml)" + where + ": " + e.getOriginalMessage()));
        }
    }
}
