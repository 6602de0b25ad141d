package dev.spillway.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * Loads ONNX Runtime's native libraries from a folder of ours instead of a fresh temp folder per
 * start. ONNX Runtime 1.20 extracts them to {@code $TMPDIR/onnxruntime-java*} and marks the files
 * and then the folder for deletion on exit; the JVM deletes in reverse order, so the folder goes
 * first (not empty yet) and stays behind, empty, after every run. Given
 * {@code onnxruntime.native.path} it loads from there and its temp folder stays empty, so it is
 * removed at exit. Call before the first embedding model loads; idempotent.
 */
final class OnnxNatives {
    static final String PROPERTY = "onnxruntime.native.path";

    private OnnxNatives() {
    }

    /** Extracts the libraries into {@code dir} (once; unchanged files are kept) and points ORT at them. */
    static void useFolder(Path dir) {
        if (System.getProperty(PROPERTY) != null) return;
        String platform = platform();
        List<String> libraries = List.of(System.mapLibraryName("onnxruntime"), System.mapLibraryName("onnxruntime4j_jni"));
        try {
            Files.createDirectories(dir);
            for (String library : libraries) {
                String resource = "/ai/onnxruntime/native/" + platform + "/" + library;
                try (InputStream in = OnnxNatives.class.getResourceAsStream(resource)) {
                    if (in == null) return; // a platform ORT's jar does not carry: let ORT do it its own way
                    Path target = dir.resolve(library);
                    if (Files.exists(target) && Files.size(target) == sizeOf(resource)) continue;
                    Path partial = dir.resolve(library + ".part");
                    Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare ONNX Runtime's libraries in " + dir, e);
        }
        System.setProperty(PROPERTY, dir.toAbsolutePath().toString());
    }

    /** The resource's uncompressed size, from the jar's directory (no need to read it). */
    private static long sizeOf(String resource) throws IOException {
        return OnnxNatives.class.getResource(resource).openConnection().getContentLengthLong();
    }

    /** ORT's folder name for this machine, as its loader builds it: {@code linux-x64}, {@code osx-aarch64}. */
    static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String o = os.contains("mac") || os.contains("darwin") ? "osx" : os.contains("win") ? "win" : "linux";
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x64" : arch.equals("arm64") ? "aarch64" : arch;
        return o + "-" + a;
    }
}
