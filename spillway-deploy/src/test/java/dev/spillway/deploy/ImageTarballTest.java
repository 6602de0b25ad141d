package dev.spillway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OCI tarball the {@code image} profile wrote (target/spillway-image.tar): its config runs the
 * jlink'ed runtime on the jar as a non-root user, and its layers hold the runtime, the libraries
 * it links, the jar and (built on JDK 25+ as root) the AOT cache. Runs in that profile only, after
 * the image is built; reads the tar with no tool beyond the JDK.
 */
class ImageTarballTest {
    static final Path TAR = Path.of("target", "spillway-image.tar");
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, byte[]> blobs = new HashMap<>();
    static final Set<String> files = new HashSet<>();
    static byte[] picocliJar;
    static JsonNode config;

    @BeforeAll
    static void read() throws IOException {
        entries(Files.newInputStream(TAR), (name, bytes) -> blobs.put(name, bytes));
        JsonNode index = JSON.readTree(blobs.get("index.json"));
        JsonNode manifest = JSON.readTree(blob(index.path("manifests").get(0).path("digest").asText()));
        config = JSON.readTree(blob(manifest.path("config").path("digest").asText()));
        for (JsonNode layer : manifest.path("layers")) {
            byte[] bytes = blob(layer.path("digest").asText());
            InputStream in = layer.path("mediaType").asText().endsWith("gzip")
                    ? new GZIPInputStream(new ByteArrayInputStream(bytes)) : new ByteArrayInputStream(bytes);
            entries(in, (name, b) -> {
                String file = name.startsWith("/") ? name : "/" + name;
                files.add(file);
                if (file.matches("/opt/spillway/lib/picocli-[^/]*\\.jar")) picocliJar = b;
            });
        }
    }

    static byte[] blob(String digest) {
        byte[] b = blobs.get("blobs/sha256/" + digest.substring("sha256:".length()));
        assertThat(b).as("blob %s in the tar", digest).isNotNull();
        return b;
    }

    /** Reads a (ustar) tar stream: 512-byte headers, contents padded to 512. */
    static void entries(InputStream in, java.util.function.BiConsumer<String, byte[]> each) throws IOException {
        try (in) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String name = field(header, 0, 100);
                String prefix = field(header, 345, 155);
                long size = Long.parseLong(field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
                byte[] body = in.readNBytes((int) size);
                in.skipNBytes((512 - size % 512) % 512);
                if (header[156] == 'L') { // GNU long name: the next entry's name is this body
                    byte[] next = new byte[512];
                    in.readNBytes(next, 0, 512);
                    long nextSize = Long.parseLong(field(next, 124, 12).trim(), 8);
                    byte[] nextBody = in.readNBytes((int) nextSize);
                    in.skipNBytes((512 - nextSize % 512) % 512);
                    each.accept(new String(body, StandardCharsets.UTF_8).trim().replace("\0", ""), nextBody);
                    continue;
                }
                each.accept((prefix.isEmpty() ? "" : prefix + "/") + name, body);
            }
        }
    }

    static String field(byte[] header, int at, int length) {
        int end = at;
        while (end < at + length && header[end] != 0) end++;
        return new String(header, at, end - at, StandardCharsets.US_ASCII);
    }

    @Test
    void theImageRunsTheJarOnItsOwnRuntimeAsANonRootUser() {
        JsonNode c = config.path("config");
        assertThat(c.path("User").asText()).isEqualTo("65532:65532");
        assertThat(c.path("Entrypoint").get(0).asText()).isEqualTo("/opt/spillway/runtime/bin/java");
        assertThat(c.path("Entrypoint").toString()).contains("-XX:AOTCache=/opt/spillway/spillway.aot", "/opt/spillway/spillway.jar");
        assertThat(c.path("Cmd").toString()).contains("gateway", "/etc/spillway/spillway.yaml");
        assertThat(c.path("ExposedPorts").has("8081/tcp")).isTrue();
    }

    @Test
    void theLayersHoldTheRuntimeItsLibrariesAndTheJar() {
        assertThat(files).contains("/opt/spillway/runtime/bin/java", "/opt/spillway/spillway.jar",
                "/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/libc.so.6", "/etc/passwd");
        assertThat(files).anyMatch(f -> f.startsWith("/opt/spillway/runtime/lib/server/libjvm.so"));
    }

    @Test
    void sqliteLoadsItsNativeLibraryFromTheImageNotFromAnUnpackedCopy() {
        assertThat(files).contains("/opt/spillway/native/libsqlitejdbc.so");
        assertThat(config.path("config").path("Entrypoint").toString())
                .contains("-Dorg.sqlite.lib.path=/opt/spillway/native", "-Dorg.sqlite.lib.name=libsqlitejdbc.so");
    }

    @Test
    void picocliIsRewrittenForTheAotCacheWhenBuiltOnJdk25() throws IOException {
        assertThat(picocliJar).as("picocli's jar in /opt/spillway/lib").isNotNull();
        int major = -1;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(picocliJar))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (!e.getName().equals("picocli/CommandLine.class")) continue;
                byte[] head = zip.readNBytes(8);
                major = ((head[6] & 0xff) << 8) | (head[7] & 0xff);
            }
        }
        // Java 5 class files (49) cannot be held by the AOT cache once linked; the build makes them Java 8's (52).
        assertThat(major).isEqualTo(Runtime.version().feature() >= 25 ? 52 : 49);
    }

    @Test
    void theAotCacheIsInsideWhenBuiltOnJdk25AsRoot() {
        boolean expected = Runtime.version().feature() >= 25 && "root".equals(System.getProperty("user.name"));
        assertThat(files.contains("/opt/spillway/spillway.aot")).isEqualTo(expected);
    }
}
