package dev.spillway.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Golden files under src/test/resources/golden, and the normalization of volatile fields. */
final class Golden {
    private Golden() {
    }

    /**
     * The golden text of {@code name}; with {@code -Dgolden.update=true} the file is first rewritten
     * from {@code actual} (review the diff before committing).
     */
    static String expect(String name, String actual) {
        if (Boolean.getBoolean("golden.update")) {
            try {
                java.nio.file.Files.writeString(java.nio.file.Path.of("src/test/resources/golden", name), actual + "\n");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return actual;
        }
        return read(name);
    }

    static String read(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) throw new IllegalStateException("no golden file " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replaces ids and non-zero timestamps, the only fields that change from run to run. */
    static String normalize(String body) {
        return body.replaceAll("\"id\":\"(chatcmpl|cmpl)-[A-Za-z0-9]+\"", "\"id\":\"$1-ID\"")
                .replaceAll("\"id\":\"call_[A-Za-z0-9]+\"", "\"id\":\"call_ID\"")
                .replaceAll("\"created\":[1-9][0-9]*", "\"created\":CREATED")
                .replaceAll("\"(id|item_id)\":\"(resp|msg|fc)_[A-Za-z0-9]+\"", "\"$1\":\"$2_ID\"")
                .replaceAll("\"call_id\":\"call_[A-Za-z0-9]+\"", "\"call_id\":\"call_ID\"")
                .replaceAll("\"created_at\":[1-9][0-9]*", "\"created_at\":CREATED")
                .strip();
    }
}
